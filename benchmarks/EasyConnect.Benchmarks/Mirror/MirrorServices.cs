using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.PsaSync;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Benchmarks.Mirror;

/// <summary>
/// The part of EasyConnect a mirror run uses, wired as the app wires it: the real <see cref="PsaSyncEngine"/>, the real
/// ConnectWise client with its resilience pipeline and default settings (1,000 records a page), over the benchmark's
/// database. Only the stored, encrypted connection is replaced by the sandbox's credentials.
/// </summary>
internal static class MirrorServices
{
    public static ServiceProvider Build(string connectionString, SandboxProcess sandbox)
    {
        var services = BenchmarkServices.Create(connectionString);
        services.AddEasyConnectConnectWise();
        services.AddSingleton<IPsaClientProvider>(sp => new SandboxClients(sp.GetRequiredService<ConnectWiseClientFactory>(), sandbox));
        services.AddSingleton<PsaSyncEngine>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Stores an active ConnectWise connection to the sandbox, as the Integration page would; returns its id.</summary>
    public static async Task<Guid> AddConnectionAsync(string connectionString, SandboxProcess sandbox, CancellationToken cancellationToken)
    {
        await using var db = BenchmarkDatabase.CreateContext(connectionString);
        var credentials = SandboxClients.CredentialsOf(sandbox);
        var connection = new PsaConnection
        {
            Id = Guid.NewGuid(),
            Kind = PsaKind.ConnectWise,
            InstanceKey = credentials.InstanceKey,
            DisplayName = $"{sandbox.Site.Authority} / {credentials.CompanyId}",
            State = ConnectionState.Active,
            CreatedAt = DateTimeOffset.UtcNow,
            CreatedBy = "benchmark",
        };
        db.PsaConnections.Add(connection);
        await db.SaveChangesAsync(cancellationToken);
        return connection.Id;
    }

    private sealed class SandboxClients(ConnectWiseClientFactory factory, SandboxProcess sandbox) : IPsaClientProvider
    {
        public static ConnectWiseCredentials CredentialsOf(SandboxProcess sandbox) => new(
            sandbox.Site.ToString(), SandboxProcess.Credentials.CompanyId, SandboxProcess.Credentials.PublicKey, SandboxProcess.Credentials.PrivateKey,
            "6b1f8d0e-0000-4000-8000-00000000be01");

        public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken) =>
            Task.FromResult(factory.Create(CredentialsOf(sandbox), new ConnectWiseClientOptions(connectionId.ToString("N"))));
    }
}
