using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Tickets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EasyConnect.Sync.Mappings;

/// <summary>A portal ticket held because its ClusterID found no company: its link id, its portal number (for <c>/tickets/{number}</c>) and subject.</summary>
public sealed record HeldTicketRef(long LinkId, string PortalTicketId, string Subject);

/// <summary>
/// One row of the client mapping page: a ClusterID seen on portal tickets, the configuration it matched (or was tied to by hand) and
/// that configuration's company, and the tickets it holds.
/// </summary>
/// <param name="OverrideConfigurationId">The configuration chosen by hand, when there is one; it wins over the match.</param>
/// <param name="HeldCount">Tickets held because this ClusterID found no company.</param>
/// <param name="Held">The first few of those tickets.</param>
public sealed record ClientMappingRow(
    string ClusterId, int TicketCount,
    string? ConfigurationId, string? ConfigurationName, string? CompanyName,
    string? OverrideConfigurationId, int HeldCount, IReadOnlyList<HeldTicketRef> Held);

/// <summary>A PSA configuration offered in the manual choice.</summary>
public sealed record ConfigurationChoice(string Id, string Name, string? CompanyName, bool Active);

/// <summary>
/// Client mapping: which configuration, and so which company, each ClusterID seen on portal tickets reaches; and manual
/// ClusterID → configuration overrides that the ticket sync consults first. Every change is audited.
/// </summary>
public sealed class ClientMappings(IDbContextFactory<EasyConnectDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    private const int HeldShown = 10;

    /// <summary>A page of ClusterIDs on <paramref name="connectionId"/>, those holding tickets first, then by ClusterID.</summary>
    public async Task<(IReadOnlyList<ClientMappingRow> Items, int Total)> ListAsync(
        Guid connectionId, bool unmatchedOnly, string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var links = db.TicketLinks.AsNoTracking().Where(l => l.ConnectionId == connectionId && l.PortalClusterId != null);
        if (!string.IsNullOrWhiteSpace(search))
        {
            links = links.Where(l => EF.Functions.ILike(l.PortalClusterId!, LikePattern.Contains(search)));
        }

        var groups = links.GroupBy(l => l.PortalClusterId!).Select(g => new
        {
            ClusterId = g.Key,
            Tickets = g.Count(),
            Held = g.Count(l => l.HeldKind == HoldKind.UnknownClusterId),
            ConfigurationId = g.Where(l => l.SyncedClusterId == g.Key).Max(l => l.ConfigurationId),
        });
        if (unmatchedOnly)
        {
            groups = groups.Where(g => g.Held > 0);
        }

        var total = await groups.CountAsync(cancellationToken);
        var page = await groups.OrderByDescending(g => g.Held > 0).ThenBy(g => g.ClusterId).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var clusterIds = page.Select(g => g.ClusterId).ToList();
        var overrides = await db.ClientMappingOverrides.AsNoTracking()
            .Where(o => o.ConnectionId == connectionId && clusterIds.Contains(o.ClusterId))
            .ToDictionaryAsync(o => o.ClusterId, o => o.ConfigurationPsaId, StringComparer.Ordinal, cancellationToken);
        var configurationIds = page.Select(g => overrides.GetValueOrDefault(g.ClusterId) ?? g.ConfigurationId).OfType<string>().Distinct().ToList();
        var configurations = await db.PsaConfigurations.AsNoTracking()
            .Where(c => c.ConnectionId == connectionId && configurationIds.Contains(c.PsaId))
            .Select(c => new { c.PsaId, c.Name, Company = db.PsaCompanies.Where(p => p.ConnectionId == connectionId && p.PsaId == c.CompanyId).Select(p => p.Name).FirstOrDefault() })
            .ToDictionaryAsync(c => c.PsaId, StringComparer.Ordinal, cancellationToken);
        var held = await links.Where(l => l.HeldKind == HoldKind.UnknownClusterId && clusterIds.Contains(l.PortalClusterId!))
            .OrderBy(l => l.Id)
            .Select(l => new { ClusterId = l.PortalClusterId!, l.Id, l.PortalTicketId, l.PortalSubject })
            .ToListAsync(cancellationToken);
        var heldBy = held.GroupBy(h => h.ClusterId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<HeldTicketRef>)g.Take(HeldShown).Select(h => new HeldTicketRef(h.Id, h.PortalTicketId, h.PortalSubject)).ToList(), StringComparer.Ordinal);

        var rows = page.Select(g =>
        {
            var chosen = overrides.GetValueOrDefault(g.ClusterId);
            var configurationId = chosen ?? g.ConfigurationId;
            var configuration = configurationId is null ? null : configurations.GetValueOrDefault(configurationId);
            return new ClientMappingRow(g.ClusterId, g.Tickets, configurationId, configuration?.Name ?? (configurationId is null ? null : $"#{configurationId}"),
                configuration?.Company, chosen, g.Held, heldBy.GetValueOrDefault(g.ClusterId) ?? []);
        }).ToList();
        return (rows, total);
    }

    /// <summary>Configurations whose name, serial or tag number contains <paramref name="search"/>, active first.</summary>
    public async Task<IReadOnlyList<ConfigurationChoice>> SearchConfigurationsAsync(Guid connectionId, string? search, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var configurations = db.PsaConfigurations.AsNoTracking().Where(c => c.ConnectionId == connectionId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            configurations = configurations.Where(c => EF.Functions.ILike(c.Name, pattern)
                || (c.SerialNumber != null && EF.Functions.ILike(c.SerialNumber, pattern)) || (c.TagNumber != null && EF.Functions.ILike(c.TagNumber, pattern)));
        }

        return await configurations.OrderByDescending(c => c.Active).ThenBy(c => c.Name).ThenBy(c => c.PsaId).Take(take)
            .Select(c => new ConfigurationChoice(c.PsaId, c.Name,
                db.PsaCompanies.Where(p => p.ConnectionId == connectionId && p.PsaId == c.CompanyId).Select(p => p.Name).FirstOrDefault(), c.Active))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The configuration chosen by hand for <paramref name="clusterId"/>, if any.</summary>
    public async Task<string?> OverrideOfAsync(Guid connectionId, string clusterId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = clusterId.Trim();
        return await db.ClientMappingOverrides.AsNoTracking().Where(o => o.ConnectionId == connectionId && o.ClusterId == key)
            .Select(o => o.ConfigurationPsaId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Ties <paramref name="clusterId"/> to a configuration of the mirror; the tickets it holds are released on the next ticket sync run.
    /// Returns an error in plain language, or null.
    /// </summary>
    public async Task<string?> SetOverrideAsync(Guid connectionId, string clusterId, string configurationId, string actor, CancellationToken cancellationToken = default)
    {
        var key = clusterId.Trim();
        if (key.Length == 0)
        {
            return "A ClusterID is needed.";
        }

        if ((TextLimit.Check(key, ClientMappingOverride.ClusterIdMaxLength, "ClusterID") ?? TextLimit.Check(configurationId, ClientMappingOverride.PsaIdMaxLength, "configuration id")) is { } tooLong)
        {
            return tooLong;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var configuration = await db.PsaConfigurations.AsNoTracking().Where(c => c.ConnectionId == connectionId && c.PsaId == configurationId)
            .Select(c => new { c.Name }).SingleOrDefaultAsync(cancellationToken);
        if (configuration is null)
        {
            return "That configuration is no longer in the PSA: choose another.";
        }

        var existing = await db.ClientMappingOverrides.SingleOrDefaultAsync(o => o.ConnectionId == connectionId && o.ClusterId == key, cancellationToken);
        if (existing is null)
        {
            existing = new ClientMappingOverride { ConnectionId = connectionId, ClusterId = key };
            db.ClientMappingOverrides.Add(existing);
        }
        else if (existing.ConfigurationPsaId == configurationId)
        {
            return null;
        }

        existing.ConfigurationPsaId = configurationId;
        existing.MappedAt = clock.GetUtcNow();
        existing.MappedBy = actor;
        audit.Add(db, actor, "Client mapping set", $"ClusterID {key}", $"configuration \"{configuration.Name}\" (#{configurationId})");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return $"Someone else has just chosen a configuration for ClusterID {key}: look at the page again.";
        }

        return null;
    }

    /// <summary>Removes the manual choice for <paramref name="clusterId"/>: the ClusterID is matched by the configuration's field again.</summary>
    public async Task<bool> RemoveOverrideAsync(Guid connectionId, string clusterId, string actor, CancellationToken cancellationToken = default)
    {
        var key = clusterId.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ClientMappingOverrides.SingleOrDefaultAsync(o => o.ConnectionId == connectionId && o.ClusterId == key, cancellationToken);
        if (existing is null)
        {
            return false;
        }

        db.ClientMappingOverrides.Remove(existing);
        audit.Add(db, actor, "Client mapping removed", $"ClusterID {key}", $"was configuration #{existing.ConfigurationPsaId}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}

/// <summary>Deletes a connection's client mapping overrides when its data is cleaned up.</summary>
internal sealed class ClientMappingData(IDbContextFactory<EasyConnectDbContext> dbFactory) : IConnectionDataOwner
{
    public string Name => "client mappings";

    public async Task<long> CountAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ClientMappingOverrides.LongCountAsync(o => o.ConnectionId == connectionId, cancellationToken);
    }

    public async Task<long> DeleteBatchAsync(Guid connectionId, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.ClientMappingOverrides.Where(o => o.ConnectionId == connectionId).Select(o => o.Id).Take(batchSize).ToListAsync(cancellationToken);
        return await db.ClientMappingOverrides.Where(o => ids.Contains(o.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}
