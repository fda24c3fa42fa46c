using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Psa.Halo;

namespace EasyConnect.Sync.Psa;

/// <summary>
/// The one place that lists the PSA products EasyConnect knows. A product can be connected once its client factory is
/// registered (<see cref="Connections.IPsaClientFactory"/>); Autotask and HaloPSA are described already, so the UI, the
/// limits and the engines are built from data, and the Integration page offers them as "coming" until their clients exist.
/// </summary>
public static class PsaProducts
{
    /// <summary>Every product, in the order the Integration page offers them.</summary>
    public static IReadOnlyList<PsaProduct> All { get; } = [ConnectWiseProduct.Description, AutotaskProduct.Description, HaloProduct.Description];

    /// <summary>The description of <paramref name="kind"/>.</summary>
    public static PsaProduct Get(PsaKind kind) =>
        All.FirstOrDefault(p => p.Kind == kind) ?? throw new NotSupportedException($"EasyConnect has no description of the PSA product {kind}.");

    /// <summary>How people call the product of <paramref name="kind"/>; "the PSA" when it is not known (no connection yet).</summary>
    public static string NameOf(PsaKind? kind) => kind is { } k ? Get(k).DisplayName : "the PSA";
}
