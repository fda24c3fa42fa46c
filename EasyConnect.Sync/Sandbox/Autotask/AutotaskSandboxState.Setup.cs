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

    /// <summary>Adds an active configuration item of a company whose ClusterID user-defined field is <paramref name="clusterId"/>.</summary>
    public long AddConfigurationItem(string referenceTitle, long companyId, string clusterId)
    {
        lock (_gate)
        {
            if (!Table(Companies).ContainsKey(companyId))
            {
                throw new AutotaskSandboxError(500, "Reference value on field: companyID of type: Company does not exist or is invalid.");
            }

            var id = _nextIds[ConfigurationItems];
            return Add(ConfigurationItems, Stamp(), new JsonObject
            {
                ["companyID"] = companyId,
                ["configurationItemType"] = 1,
                ["configurationItemCategoryID"] = 1,
                ["productID"] = 200,
                ["referenceTitle"] = referenceTitle,
                ["referenceNumber"] = $"REF{id}",
                ["serialNumber"] = $"SN{id}",
                ["isActive"] = true,
                ["userDefinedFields"] = ClusterIdUdf(clusterId),
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

    private static JsonArray ClusterIdUdf(string clusterId) => [new JsonObject { ["name"] = ClusterIdField, ["value"] = clusterId }];
}
