using EasyConnect.Sync.Http;
using System.Globalization;
using System.Text.Json;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using static EasyConnect.Sync.Psa.ConnectWise.ConnectWiseErrors;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>ConnectWise records as EasyConnect's PSA models: read leniently, with the raw JSON kept for the mirror.</summary>
internal static class ConnectWiseRecords
{
    internal static int IdOf(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var value)
            ? value
            : throw new PsaException(RemoteErrorKind.Unavailable,
                "ConnectWise sent a record EasyConnect cannot read: the field \"id\" is not what ConnectWise documents.", "id");

    internal static (DateTimeOffset LastModified, int Id) KeyOf<T>(T row) => row switch
    {
        JsonElement e => (Info(e).LastUpdated ?? DateTimeOffset.MinValue, IdOf(e)),
        CwNote n => (n.Info?.LastUpdated ?? DateTimeOffset.MinValue, n.Id),
        _ => throw new InvalidOperationException($"No key for {typeof(T).Name}."),
    };

    internal static CwInfo Info(JsonElement e) =>
        e.TryGetProperty("_info", out var info) && info.ValueKind == JsonValueKind.Object ? Dto<CwInfo>(info) : new CwInfo();

    internal static T Dto<T>(JsonElement e)
    {
        try
        {
            return e.Deserialize<T>(VendorClients.Json)
                ?? throw new PsaException(RemoteErrorKind.Unavailable, "ConnectWise sent an empty record.");
        }
        catch (JsonException json)
        {
            throw Unreadable($"ConnectWise sent a {Noun<T>()} EasyConnect cannot read", json, null, json);
        }
    }

    internal static string Noun<T>() => typeof(T).Name switch
    {
        nameof(CwTicket) => "service ticket",
        nameof(CwMember) => "member",
        nameof(CwCompany) => "company",
        nameof(CwConfiguration) => "configuration",
        nameof(CwBoard) => "service board",
        nameof(CwBoardStatus) => "board status",
        nameof(CwPriority) => "priority",
        nameof(CwInfo) => "record's _info",
        _ => "record",
    };

    internal static string? IdText(CwReference? r) => r?.Id?.ToString(CultureInfo.InvariantCulture);

    internal static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);

    internal static PsaTicket ToTicket(JsonElement e)
    {
        var t = Dto<CwTicket>(e);
        return new PsaTicket(Text(t.Id), t.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), t.Summary ?? "",
            IdText(t.Board), IdText(t.Status), IdText(t.Priority), IdText(t.Company),
            string.IsNullOrEmpty(t.ExternalXRef) ? null : t.ExternalXRef, t.Info?.DateEntered) { UpdatedBy = t.Info?.UpdatedBy };
    }

    /// <summary>A ConnectWise note as EasyConnect's; internal analysis notes are internal, every other note is seen by the customer.</summary>
    internal static PsaNote ToNote(CwNote n, int ticketId) => new(
        Text(n.Id), Text(n.TicketId ?? ticketId), n.Text ?? "",
        n.InternalAnalysisFlag ?? false ? PsaNoteVisibility.Internal : PsaNoteVisibility.External,
        IdText(n.Member), n.CreatedBy, n.DateCreated ?? n.Info?.DateEntered ?? DateTimeOffset.MinValue, NoteModified(n));

    /// <summary>When a note last changed.</summary>
    internal static DateTimeOffset NoteModified(CwNote n) => n.Info?.LastUpdated ?? n.DateCreated ?? DateTimeOffset.MinValue;

    /// <summary>
    /// ConnectWise keeps a ticket's description as its first Discussion note (<c>detailDescriptionFlag</c>, oldest first, ties by id):
    /// that note is the description, the others are the conversation, oldest first.
    /// </summary>
    internal static (CwNote? Description, IReadOnlyList<CwNote> Notes) SplitDescription(IReadOnlyList<CwNote> notes)
    {
        var ordered = notes.OrderBy(n => n.DateCreated ?? n.Info?.DateEntered ?? DateTimeOffset.MinValue).ThenBy(n => n.Id).ToList();
        var description = ordered.FirstOrDefault(n => n.DetailDescriptionFlag ?? false);
        return (description, ordered.Where(n => !ReferenceEquals(n, description)).ToList());
    }

    internal static PsaMember ToMember(JsonElement e)
    {
        var m = Dto<CwMember>(e);
        var emails = new[] { m.PrimaryEmail, m.OfficeEmail }
            .Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new PsaMember(Text(m.Id), m.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), m.Identifier ?? "",
            m.FirstName ?? "", m.LastName ?? "", emails, m.InactiveFlag ?? false);
    }

    internal static PsaCompany ToCompany(JsonElement e)
    {
        var c = Dto<CwCompany>(e);
        var inactive = c.DeletedFlag == true || string.Equals(c.Status?.Name, "Inactive", StringComparison.OrdinalIgnoreCase);
        return new PsaCompany(Text(c.Id), c.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), c.Identifier ?? "", c.Name ?? "", inactive);
    }

    internal static PsaConfiguration ToConfiguration(JsonElement e)
    {
        var c = Dto<CwConfiguration>(e);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var q in c.Questions ?? [])
        {
            if (!string.IsNullOrWhiteSpace(q.Question) && ValueText(q.Answer) is { } answer)
            {
                fields[q.Question.Trim()] = answer;
            }
        }

        foreach (var f in c.CustomFields ?? [])
        {
            if (!string.IsNullOrWhiteSpace(f.Caption) && ValueText(f.Value) is { } value)
            {
                fields[f.Caption.Trim()] = value;
            }
        }

        return new PsaConfiguration(Text(c.Id), c.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), c.Name ?? "", IdText(c.Company),
            NullIfEmpty(c.SerialNumber), NullIfEmpty(c.TagNumber), fields, c.ActiveFlag ?? true);
    }

    internal static PsaBoard ToBoard(JsonElement e)
    {
        var b = Dto<CwBoard>(e);
        return new PsaBoard(Text(b.Id), b.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), b.Name ?? "", b.InactiveFlag ?? false);
    }

    internal static PsaStatus ToStatus(JsonElement e)
    {
        var s = Dto<CwBoardStatus>(e);
        return new PsaStatus(Text(s.Id), s.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), IdText(s.Board), s.Name ?? "",
            s.ClosedStatus ?? false, s.Inactive ?? false, s.SortOrder ?? 0);
    }

    internal static PsaPriority ToPriority(JsonElement e)
    {
        var p = Dto<CwPriority>(e);
        return new PsaPriority(Text(p.Id), p.Info?.LastUpdated ?? DateTimeOffset.MinValue, e.Clone(), p.Name ?? "", p.SortOrder ?? 0);
    }

    // ConnectWise custom field values and question answers change JSON type with the field's type (text, number, checkbox…).
    internal static string? ValueText(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } or null => null,
        { } v => v.GetRawText(),
    };

    internal static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
