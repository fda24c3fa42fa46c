using System.Globalization;
using System.Text.Json;
using static EasyConnect.Sync.Http.LenientJsonElement;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>Maps Halo rows (raw JSON, read leniently: numbers and booleans may come as text) to EasyConnect's PSA models.</summary>
internal static class HaloRecords
{
    /// <summary>Records without a stamp (agents, teams, statuses, priorities) carry this as their last-modified time.</summary>
    public static readonly DateTimeOffset NoStamp = DateTimeOffset.UnixEpoch;

    // Halo's built-in "Closed" status; tenants rename it but cannot remove it.
    private const string ClosedStatus = "9";

    /// <summary>
    /// A ticket. Its priority id is made with its SLA ("sla:priority"): Halo's priority_id means the priority within the ticket's SLA.
    /// The team is named, not referenced by id, so a board's id in EasyConnect is the team's name.
    /// </summary>
    public static PsaTicket ToTicket(JsonElement e)
    {
        var sla = Text(e, "sla_id");
        var priority = Text(e, "priority_id");
        var created = Time(e, "datecreated") ?? Time(e, "dateoccurred");
        return new(
            IdOf(e), Later(Time(e, "last_update"), Time(e, "lastactiondate")) ?? created ?? NoStamp, e.Clone(),
            Text(e, "summary") ?? "", NonEmpty(Text(e, "team")), Text(e, "status_id"), priority is null ? null : PriorityId(sla, priority),
            NonZero(Text(e, "client_id")), NonEmpty(Text(e, "client_reference")), created,
            HaloText.ToText(Text(e, "details_html") ?? Text(e, "details")));
    }

    /// <summary>The id EasyConnect gives a priority: the SLA and the priority within it.</summary>
    public static string PriorityId(string? sla, string priority) => sla is null or "0" ? priority : $"{sla}:{priority}";

    /// <summary>The priority within its SLA, which is what a ticket's priority_id holds.</summary>
    public static long PriorityWithinSla(string priorityId)
    {
        var within = priorityId.Contains(':', StringComparison.Ordinal) ? priorityId[(priorityId.IndexOf(':', StringComparison.Ordinal) + 1)..] : priorityId;
        return long.TryParse(within, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new PsaException(Http.RemoteErrorKind.ValidationFailed, $"\"{priorityId}\" is not a Halo priority id.", "priority_id");
    }

    public static PsaNote ToNote(JsonElement e, string ticketId)
    {
        var created = Time(e, "datetime") ?? Time(e, "actiondatecreated") ?? NoStamp;
        var agent = NonZero(Text(e, "who_agentid")) ?? NonZero(Text(e, "actionby_agent_id"));
        return new(IdOf(e), Text(e, "ticket_id") ?? ticketId, HaloText.ToText(Text(e, "note_html") ?? Text(e, "note")),
            Bool(e, "hiddenfromuser") == true ? PsaNoteVisibility.Internal : PsaNoteVisibility.External,
            agent, Text(e, "who") ?? (agent is null ? null : $"agent {agent}"), created, Time(e, "last_updated") ?? created);
    }

    public static PsaMember ToMember(JsonElement e)
    {
        var emails = new[] { "email", "email2" }.Select(f => Text(e, f)).OfType<string>()
            .Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new(IdOf(e), Time(e, "last_modified") ?? NoStamp, e.Clone(), Text(e, "name") ?? IdOf(e), Text(e, "firstname") ?? "", Text(e, "surname") ?? "",
            emails, Bool(e, "isdisabled") == true || Bool(e, "inactive") == true);
    }

    public static PsaCompany ToCompany(JsonElement e) => new(
        IdOf(e), Time(e, "last_update") ?? Time(e, "alastupdate") ?? Time(e, "last_modified") ?? Time(e, "datecreated") ?? NoStamp, e.Clone(),
        NonEmpty(Text(e, "ref")) ?? IdOf(e), Text(e, "name") ?? "", Bool(e, "inactive") == true);

    public static PsaConfiguration ToConfiguration(JsonElement e)
    {
        var custom = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // Asset fields (includeassetfields) and custom fields both come as [{name, value}]. A custom field is kept under its name
        // (CFClusterID) and under its label (ClusterID) too: the label is what an admin sees in Halo and types in Advanced Settings.
        foreach (var list in new[] { "fields", "customfields" })
        {
            if (Property(e, list) is { ValueKind: JsonValueKind.Array } fields)
            {
                foreach (var field in fields.EnumerateArray())
                {
                    if (Text(field, "value") is not { } value)
                    {
                        continue;
                    }

                    foreach (var name in new[] { NonEmpty(Text(field, "name")), NonEmpty(Text(field, "label")) }.OfType<string>())
                    {
                        custom.TryAdd(name, value);
                    }
                }
            }
        }

        var inventory = NonEmpty(Text(e, "inventory_number"));
        var key = NonEmpty(Text(e, "key_field"));
        return new(IdOf(e), Time(e, "last_update") ?? Time(e, "dlastupdate") ?? Time(e, "last_modified") ?? NoStamp, e.Clone(),
            inventory ?? key ?? $"Asset {IdOf(e)}", NonZero(Text(e, "client_id")), key, NonEmpty(Text(e, "key_field2")), custom, Bool(e, "inactive") != true);
    }

    public static PsaBoard ToBoard(JsonElement e) =>
        new(Text(e, "name") ?? IdOf(e), Time(e, "last_modified") ?? NoStamp, e.Clone(), Text(e, "name") ?? IdOf(e), Bool(e, "inactive") == true);

    public static PsaStatus ToStatus(JsonElement e) =>
        new(IdOf(e), NoStamp, e.Clone(), null, Text(e, "name") ?? IdOf(e), IdOf(e) == ClosedStatus, false, (int)(Long(e, "sequence") ?? 0));

    public static PsaPriority ToPriority(JsonElement e)
    {
        var sla = Text(e, "slaid");
        var priority = Text(e, "priorityid") ?? IdOf(e);
        return new(PriorityId(sla, priority), NoStamp, e.Clone(), Text(e, "name") ?? priority,
            (int)(long.TryParse(priority, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0), NonZero(sla));
    }

    public static string IdOf(JsonElement e) => Text(e, "id") ?? throw new JsonException("A Halo record has no id.", "$.id", null, null);

    /// <summary>The rows of a list answer: a bare array, or the array property of a paged envelope (<c>{"record_count": …, "tickets": […]}</c>).</summary>
    public static IReadOnlyList<JsonElement>? Rows(JsonElement answer, string property) => answer.ValueKind switch
    {
        JsonValueKind.Array => [.. answer.EnumerateArray()],
        JsonValueKind.Object when Property(answer, property) is { ValueKind: JsonValueKind.Array } rows => [.. rows.EnumerateArray()],
        _ => null,
    };

    /// <summary>The one record of an answer that may be the record or an array holding it (Halo's POST answers either way).</summary>
    public static JsonElement? Single(JsonElement answer) => answer.ValueKind switch
    {
        JsonValueKind.Object => answer,
        JsonValueKind.Array when answer.GetArrayLength() > 0 && answer[0].ValueKind == JsonValueKind.Object => answer[0],
        _ => null,
    };

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // Halo sends 0 for "none" in id fields.
    private static string? NonZero(string? text) => NonEmpty(text) is { } t && t != "0" ? t : null;
}
