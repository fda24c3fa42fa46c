using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>What an admin's "Use the sandbox" sends for HaloPSA, against the test app's own Halo sandbox.</summary>
internal static class HaloSandboxDraft
{
    /// <summary>The app's settings that switch its sandbox on; a failed request is not retried, so a refused endpoint is named at once.</summary>
    public static Dictionary<string, string?> Settings => new()
    {
        ["EasyConnect:Sandbox:Enabled"] = "true",
        ["EasyConnect:Halo:MaxRetries"] = "0",
    };

    /// <summary>Every connection field as "Use the sandbox" fills it on the Integration page.</summary>
    public static ConnectionDraft For(EasyConnectApp app) => new(PsaKind.Halo, Values(app));

    public static Dictionary<string, string> Values(EasyConnectApp app)
    {
        var product = HaloProduct.Description;
        var context = new PsaSandboxContext(app.BaseAddress.AbsoluteUri.TrimEnd('/') + product.Sandbox!.PathPrefix, app.Services);
        return product.ConnectionFields.ToDictionary(f => f.Name, f => f.SandboxValue!(context)!, StringComparer.Ordinal);
    }

    public static HaloSandboxState State(EasyConnectApp app) => app.Services.GetRequiredService<HaloSandboxState>();

    /// <summary>The instance key of the sandbox: its address and the tenant it answers for.</summary>
    public static string InstanceKey(EasyConnectApp app, string? tenant = null) =>
        HaloProduct.Description.Identify(new Dictionary<string, string>
        {
            [HaloProduct.Address] = app.BaseAddress.AbsoluteUri.TrimEnd('/') + HaloProduct.SandboxPath,
            [HaloProduct.Tenant] = tenant ?? State(app).Options.Tenant,
        }).Key;
}
