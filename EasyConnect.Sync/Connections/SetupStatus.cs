using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Connections;

/// <summary>How far an installation is from syncing: what the Overview's getting-started list shows.</summary>
/// <param name="PsaKind">The connected PSA's product, when connected.</param>
/// <param name="PsaInstance">The connected PSA instance's name, when connected.</param>
public sealed record SetupStatus(string? PsaKind, string? PsaInstance)
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
        return new SetupStatus(psa?.Kind.ToString(), psa?.DisplayName);
    }
}
