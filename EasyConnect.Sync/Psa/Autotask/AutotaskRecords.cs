using System.Globalization;
using System.Text.Json;
using static EasyConnect.Sync.Http.LenientJsonElement;
using EasyConnect.Sync.Psa.Autotask.Dtos;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Maps Autotask rows (raw JSON, read leniently: numbers and booleans may come as text) to EasyConnect's PSA models.</summary>
internal static class AutotaskRecords
{
    /// <summary>Records without a stamp (resources, picklist values) carry this as their last-modified time.</summary>
    public static readonly DateTimeOffset NoStamp = DateTimeOffset.UnixEpoch;

    // TicketNotes.publish: 1 = All Autotask Users (the customer sees it); 2 = Internal Project Team, 4 = Internal & Co-Managed.
    public const int PublishAll = 1, PublishInternal = 2;

    /// <summary>The same publish levels as picklist values.</summary>
    public const string PublishAllText = "1", PublishInternalText = "2";

    // The built-in ticket status "Complete"; tenants rename it but cannot remove it.
    private const string CompleteStatus = "5";

    /// <summary>The ticket field a note, time entry or other activity moves; lastTrackedModificationDateTime tracks the ticket's own fields.</summary>
    public const string TicketActivityStamp = "lastActivityDate";

    // The later of the two stamps: a note added in Autotask moves only lastActivityDate, and is a change of the ticket to EasyConnect.
    public static PsaTicket ToTicket(JsonElement e) => new(
        IdOf(e), Later(Time(e, "lastTrackedModificationDateTime"), Time(e, TicketActivityStamp)) ?? Time(e, "createDate") ?? NoStamp, e.Clone(),
        Text(e, "title") ?? "", Text(e, "queueID"), Text(e, "status"), Text(e, "priority"), Text(e, "companyID"),
        Text(e, "externalID"), Time(e, "createDate"), Text(e, "description") ?? "")
    {
        ConfigurationId = Text(e, "configurationItemID"),
    };

    public static PsaNote ToNote(JsonElement e)
    {
        var created = Time(e, "createDateTime") ?? NoStamp;
        var creator = Text(e, "creatorResourceID");
        var contact = Text(e, "createdByContactID");
        return new(IdOf(e), Text(e, "ticketID") ?? "", Text(e, "description") ?? "",
            Long(e, "publish") == PublishAll ? PsaNoteVisibility.External : PsaNoteVisibility.Internal,
            creator, creator is not null ? $"resource {creator}" : contact is not null ? $"contact {contact}" : null,
            created, Time(e, "lastActivityDate") ?? created);
    }

    public static PsaMember ToMember(JsonElement e)
    {
        var emails = new[] { "email", "email2", "email3" }.Select(f => Text(e, f)).OfType<string>()
            .Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new(IdOf(e), NoStamp, e.Clone(), Text(e, "userName") ?? IdOf(e), Text(e, "firstName") ?? "", Text(e, "lastName") ?? "",
            emails, Bool(e, "isActive") == false);
    }

    public static PsaCompany ToCompany(JsonElement e) => new(
        IdOf(e), Time(e, "lastTrackedModifiedDateTime") ?? Time(e, "lastActivityDate") ?? Time(e, "createDate") ?? NoStamp, e.Clone(),
        Text(e, "companyNumber") ?? IdOf(e), Text(e, "companyName") ?? "", Bool(e, "isActive") == false);

    public static PsaConfiguration ToConfiguration(JsonElement e)
    {
        var custom = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Property(e, "userDefinedFields") is { ValueKind: JsonValueKind.Array } udfs)
        {
            foreach (var udf in udfs.EnumerateArray())
            {
                if (Text(udf, "name") is { } name && Text(udf, "value") is { } value)
                {
                    custom[name] = value;
                }
            }
        }

        // An item without a reference title shows its serial number (or id) as its name; it is unnamed, so a ClusterID matched by
        // reference title never reaches it through its serial number.
        var title = Text(e, "referenceTitle") is { } t && !string.IsNullOrWhiteSpace(t) ? t : null;
        return new(IdOf(e), Time(e, "lastModifiedTime") ?? Time(e, "createDate") ?? NoStamp, e.Clone(),
            title ?? Text(e, "serialNumber") ?? IdOf(e), Text(e, "companyID"), Text(e, "serialNumber"),
            Text(e, "referenceNumber"), custom, Bool(e, "isActive") != false)
        {
            Unnamed = title is null,
        };
    }

    public static PsaBoard ToBoard(AtPicklistValue value, JsonElement raw) => new(value.Value!, NoStamp, raw.Clone(), value.Label ?? value.Value!, false);

    public static PsaStatus ToStatus(AtPicklistValue value, JsonElement raw) =>
        new(value.Value!, NoStamp, raw.Clone(), null, value.Label ?? value.Value!, value.Value == CompleteStatus, false, value.SortOrder ?? 0);

    public static PsaPriority ToPriority(AtPicklistValue value, JsonElement raw) =>
        new(value.Value!, NoStamp, raw.Clone(), value.Label ?? value.Value!, value.SortOrder ?? 0);

    /// <summary>The active values of a picklist field, in Autotask's sort order; inactive values are never offered.</summary>
    public static IReadOnlyList<(AtPicklistValue Value, JsonElement Raw)> ActiveValues(AtFieldsResult fields, string field)
    {
        var picklist = fields.Fields?.FirstOrDefault(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase))?.PicklistValues ?? [];
        return picklist
            .Select(raw => (Value: raw.Deserialize<AtPicklistValue>(AutotaskClientFactory.Json), Raw: raw))
            .Where(v => v.Value is { Value: { Length: > 0 }, IsActive: not false })
            .Select(v => (v.Value!, v.Raw))
            .OrderBy(v => v.Item1.SortOrder ?? int.MaxValue).ThenBy(v => v.Item1.Value, StringComparer.Ordinal)
            .ToList();
    }

    public static string IdOf(JsonElement e) => Text(e, "id") ?? throw new JsonException("An Autotask record has no id.", "$.id", null, null);
}
