using System.Text.Json;
using EasyConnect.Sync.Psa;
using NpgsqlTypes;

namespace EasyConnect.Sync.PsaSync;

/// <summary>One column a PSA record fills, beyond the columns every mirror table shares.</summary>
internal sealed record MirrorColumn(string Name, NpgsqlDbType Type, Func<IPsaRecord, object?> Value);

/// <summary>How one entity is stored: its table and the columns its records fill.</summary>
internal sealed record MirrorTable(PsaEntity Entity, string Table, IReadOnlyList<MirrorColumn> Columns)
{
    /// <summary>The columns every mirror table has, in the order the upsert writes them.</summary>
    public static readonly IReadOnlyList<string> SharedColumns = ["connection_id", "psa_id", "last_modified", "synced_at", "seen_run_id", "raw"];

    public IEnumerable<string> AllColumns => SharedColumns.Concat(Columns.Select(c => c.Name));
}

/// <summary>The mirror tables, one per <see cref="PsaEntity"/>.</summary>
internal static class MirrorTables
{
    public static readonly MirrorTable Members = new(PsaEntity.Members, "psa_members",
    [
        new("identifier", NpgsqlDbType.Text, r => ((PsaMember)r).Identifier),
        new("first_name", NpgsqlDbType.Text, r => ((PsaMember)r).FirstName),
        new("last_name", NpgsqlDbType.Text, r => ((PsaMember)r).LastName),
        new("primary_email", NpgsqlDbType.Text, r => ((PsaMember)r).Emails.Select(e => e.Trim().ToLowerInvariant()).FirstOrDefault()),
        new("emails", NpgsqlDbType.Array | NpgsqlDbType.Text, r => ((PsaMember)r).Emails.Select(e => e.Trim().ToLowerInvariant()).Distinct().ToArray()),
        new("inactive", NpgsqlDbType.Boolean, r => ((PsaMember)r).Inactive),
    ]);

    public static readonly MirrorTable Companies = new(PsaEntity.Companies, "psa_companies",
    [
        new("identifier", NpgsqlDbType.Text, r => ((PsaCompany)r).Identifier),
        new("name", NpgsqlDbType.Text, r => ((PsaCompany)r).Name),
        new("inactive", NpgsqlDbType.Boolean, r => ((PsaCompany)r).Inactive),
        new("priority_scope_id", NpgsqlDbType.Text, r => ((PsaCompany)r).PriorityScopeId),
    ]);

    public static readonly MirrorTable Configurations = new(PsaEntity.Configurations, "psa_configurations",
    [
        new("name", NpgsqlDbType.Text, r => ((PsaConfiguration)r).Name),
        new("company_id", NpgsqlDbType.Text, r => ((PsaConfiguration)r).CompanyId),
        new("serial_number", NpgsqlDbType.Text, r => ((PsaConfiguration)r).SerialNumber),
        new("tag_number", NpgsqlDbType.Text, r => ((PsaConfiguration)r).TagNumber),
        new("custom_fields", NpgsqlDbType.Jsonb, r => JsonSerializer.Serialize(((PsaConfiguration)r).CustomFields)),
        new("active", NpgsqlDbType.Boolean, r => ((PsaConfiguration)r).Active),
        new("unnamed", NpgsqlDbType.Boolean, r => ((PsaConfiguration)r).Unnamed),
    ]);

    public static readonly MirrorTable Boards = new(PsaEntity.Boards, "psa_boards",
    [
        new("name", NpgsqlDbType.Text, r => ((PsaBoard)r).Name),
        new("inactive", NpgsqlDbType.Boolean, r => ((PsaBoard)r).Inactive),
    ]);

    public static readonly MirrorTable Statuses = new(PsaEntity.Statuses, "psa_statuses",
    [
        new("scope_id", NpgsqlDbType.Text, r => ((PsaStatus)r).ScopeId),
        new("name", NpgsqlDbType.Text, r => ((PsaStatus)r).Name),
        new("closed", NpgsqlDbType.Boolean, r => ((PsaStatus)r).Closed),
        new("inactive", NpgsqlDbType.Boolean, r => ((PsaStatus)r).Inactive),
        new("sort", NpgsqlDbType.Integer, r => ((PsaStatus)r).SortOrder),
    ]);

    public static readonly MirrorTable Priorities = new(PsaEntity.Priorities, "psa_priorities",
    [
        new("scope_id", NpgsqlDbType.Text, r => ((PsaPriority)r).ScopeId),
        new("name", NpgsqlDbType.Text, r => ((PsaPriority)r).Name),
        new("sort", NpgsqlDbType.Integer, r => ((PsaPriority)r).SortOrder),
    ]);

    public static readonly MirrorTable Tickets = new(PsaEntity.Tickets, "psa_tickets",
    [
        new("summary", NpgsqlDbType.Text, r => ((PsaTicket)r).Summary),
        new("board_id", NpgsqlDbType.Text, r => ((PsaTicket)r).BoardId),
        new("status_id", NpgsqlDbType.Text, r => ((PsaTicket)r).StatusId),
        new("priority_id", NpgsqlDbType.Text, r => ((PsaTicket)r).PriorityId),
        new("company_id", NpgsqlDbType.Text, r => ((PsaTicket)r).CompanyId),
        new("external_ref", NpgsqlDbType.Text, r => ((PsaTicket)r).ExternalReference),
    ]);

    /// <summary>Every table, in the order a run mirrors them (reference data before what refers to it).</summary>
    public static readonly IReadOnlyList<MirrorTable> All = [Boards, Statuses, Priorities, Members, Companies, Configurations, Tickets];

    public static MirrorTable For(PsaEntity entity) => All.Single(t => t.Entity == entity);
}
