using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>What an Autotask administrator sets up: resources, companies, configuration items and picklist values.</summary>
public sealed partial class AutotaskSandboxState
{
    /// <summary>The user-defined field of configuration items that carries the portal's ClusterID.</summary>
    public const string ClusterIdField = "ClusterID";

    /// <summary>Adds an active resource with its primary email, and optionally its second and third, and returns its id.</summary>
    public long AddResource(string firstName, string lastName, string email, string? email2 = null, string? email3 = null)
    {
        lock (_gate)
        {
            return Add(Resources, Stamp(), new JsonObject
            {
                ["firstName"] = firstName,
                ["lastName"] = lastName,
                ["userName"] = email.Split('@')[0],
                ["email"] = email,
                ["email2"] = email2,
                ["email3"] = email3,
                ["isActive"] = true,
                ["resourceType"] = "Employee",
                ["licenseType"] = 1,
            });
        }
    }

    /// <summary>Adds an active company and returns its id.</summary>
    public long AddCompany(string name)
    {
        lock (_gate)
        {
            var id = _nextIds[Companies];
            return Add(Companies, Stamp(), new JsonObject
            {
                ["companyName"] = name,
                ["companyNumber"] = $"C{id}",
                ["companyType"] = 1,
                ["isActive"] = true,
                ["parentCompanyID"] = null,
                ["ownerResourceID"] = ApiResourceId,
            });
        }
    }

    /// <summary>
    /// Adds an active configuration item of a company whose ClusterID user-defined field is <paramref name="clusterId"/>; without a
    /// reference title Autotask shows it by its serial number. <paramref name="userDefinedFields"/> adds other user-defined fields.
    /// </summary>
    public long AddConfigurationItem(
        string? referenceTitle, long companyId, string clusterId, string? serialNumber = null, IReadOnlyDictionary<string, string>? userDefinedFields = null)
    {
        lock (_gate)
        {
            if (!Table(Companies).ContainsKey(companyId))
            {
                throw new AutotaskSandboxError(500, "Reference value on field: companyID of type: Company does not exist or is invalid.");
            }

            var id = _nextIds[ConfigurationItems];
            var udfs = ClusterIdUdf(clusterId);
            foreach (var (name, value) in userDefinedFields ?? new Dictionary<string, string>())
            {
                udfs.Add(new JsonObject { ["name"] = name, ["value"] = value });
            }

            return Add(ConfigurationItems, Stamp(), new JsonObject
            {
                ["companyID"] = companyId,
                ["configurationItemType"] = 1,
                ["configurationItemCategoryID"] = 1,
                ["productID"] = 200,
                ["referenceTitle"] = referenceTitle,
                ["referenceNumber"] = $"REF{id}",
                ["serialNumber"] = serialNumber ?? $"SN{id}",
                ["isActive"] = true,
                ["userDefinedFields"] = udfs,
            });
        }
    }

    /// <summary>Adds an active value to a picklist field, before the value <paramref name="before"/> (at the end when null); sort orders are renumbered.</summary>
    public void AddPicklistValue(string entity, string field, string value, string label, string? before = null)
    {
        lock (_gate)
        {
            var values = _picklists[(Canonical(entity), field)];
            var at = before is null ? -1 : values.FindIndex(v => v.Value == before);
            values.Insert(at < 0 ? values.Count : at, new(value, label, true, false, 0));
            for (var i = 0; i < values.Count; i++)
            {
                values[i] = values[i] with { SortOrder = i + 1 };
            }
        }
    }

    /// <summary>The user-defined field of configuration items that carries an asset tag, beside the ClusterID on every seeded item.</summary>
    public const string AssetTagField = "Asset Tag";

    private static JsonArray ClusterIdUdf(string clusterId) => [new JsonObject { ["name"] = ClusterIdField, ["value"] = clusterId }];

    /// <summary>The user-defined fields every record of <paramref name="entity"/> may carry, by name, as the records hold them.</summary>
    internal IReadOnlyList<string> UserDefinedFieldNames(string entity) =>
        [.. Visible(entity).SelectMany(r => (r["userDefinedFields"] as JsonArray ?? []).OfType<JsonObject>().Select(u => u["name"]?.GetValue<string>()))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
}
