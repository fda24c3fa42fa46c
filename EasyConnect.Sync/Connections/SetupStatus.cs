using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Connections;

/// <summary>How far an installation is from syncing: what the Overview's getting-started list shows.</summary>
/// <param name="PsaKind">The connected PSA's product, when connected.</param>
/// <param name="PsaInstance">The connected PSA instance's name, when connected.</param>
/// <param name="PortalAddress">The connected portal's address, when connected.</param>
/// <param name="SyncEnabled">Whether the maps are confirmed and the ticket sync is switched on.</param>
public sealed record SetupStatus(string? PsaKind, string? PsaInstance, string? PortalAddress = null, bool SyncEnabled = false)
{
    /// <summary>Whether a PSA is connected.</summary>
    public bool PsaConnected => PsaInstance is not null;
}

/// <summary>Reads the <see cref="SetupStatus"/>.</summary>
public interface ISetupStatusReader
{
    /// <summary>The current status.</summary>
    Task<SetupStatus> ReadAsync(CancellationToken cancellationToken);
}

internal sealed class SetupStatusReader(IDbContextFactory<EasyConnectDbContext> dbFactory) : ISetupStatusReader
{
    public async Task<SetupStatus> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var psa = await db.PsaConnections.AsNoTracking()
            .Where(c => c.State == ConnectionState.Active)
            .Select(c => new { c.Kind, c.DisplayName })
            .SingleOrDefaultAsync(cancellationToken);
        var portal = await db.PortalConnections.AsNoTracking().Where(c => c.State == ConnectionState.Active).Select(c => c.BaseUrl).SingleOrDefaultAsync(cancellationToken);
        var syncOn = psa is not null && await db.AdvancedSettings.AnyAsync(s => s.SyncEnabled && db.PsaConnections.Any(c => c.Id == s.ConnectionId && c.State == ConnectionState.Active), cancellationToken);
        return new SetupStatus(psa is null ? null : Psa.PsaProducts.NameOf(psa.Kind), psa?.DisplayName, portal, syncOn);
    }
}
