using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>What an admin's "Use the sandbox" sends for Autotask, against the test app's own Autotask sandbox.</summary>
internal static class AutotaskSandboxDraft
{
    public const string Secret = "sandbox-secret";

    /// <summary>The app's settings that switch its sandbox on, with a second API user of the same database.</summary>
    public static Dictionary<string, string?> Settings => new()
    {
        ["EasyConnect:Sandbox:Enabled"] = "true",
        ["EasyConnect:Sandbox:Autotask:OtherApiUsers:0"] = "second-api@sandbox.example.com",
    };

    /// <summary>Every connection field as "Use the sandbox" fills it on the Integration page.</summary>
    public static ConnectionDraft For(EasyConnectApp app) => new(PsaKind.Autotask, Values(app));

    public static Dictionary<string, string> Values(EasyConnectApp app)
    {
        var product = AutotaskProduct.Description;
        var context = new PsaSandboxContext(app.BaseAddress.AbsoluteUri.TrimEnd('/') + product.Sandbox!.PathPrefix, app.Services);
        return product.ConnectionFields.ToDictionary(f => f.Name, f => f.SandboxValue!(context)!, StringComparer.Ordinal);
    }

    public static AutotaskSandboxState State(EasyConnectApp app) => app.Services.GetRequiredService<AutotaskSandboxState>();

    /// <summary>The instance key of the sandbox's database as the zone lookup names it.</summary>
    public static string InstanceKey(EasyConnectApp app, int? databaseId = null) =>
        AutotaskProduct.InstanceOf(new Uri(app.BaseAddress, "sandbox/autotask/webservices5/ATServicesRest"), "America East 5",
            databaseId ?? State(app).Options.DatabaseId).Key;
}
