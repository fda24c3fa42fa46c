using EasyConnect.Sync.Budget;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>
/// The endpoint an Autotask request counts against for the thread limit (3 per integration code × object endpoint): the entity,
/// not the path. <c>Tickets</c>, <c>Tickets/{id}</c>, <c>Tickets/query</c>, <c>Tickets/query/count</c>, <c>Tickets/query/next</c>
/// and <c>Tickets/entityInformation/…</c> are all Tickets; a child collection counts as its child entity
/// (<c>Tickets/{id}/Notes</c> is TicketNotes); zone discovery is exempt.
/// </summary>
public sealed class AutotaskEndpoints : IApiEndpointResolver
{
    /// <summary>The one instance.</summary>
    public static AutotaskEndpoints Instance { get; } = new();

    // Child collections whose entity is not the parent's singular name followed by the child's.
    private static readonly Dictionary<string, string> Children = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Companies/Contacts"] = "Contacts",
    };

    private AutotaskEndpoints()
    {
    }

    /// <inheritdoc />
    public string? EndpointOf(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EndpointOf(request.RequestUri?.AbsolutePath ?? "");
    }

    /// <summary>The entity the path (from its <c>V1.0</c> segment on) counts against; null for zone discovery.</summary>
    public static string? EndpointOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var version = Array.FindIndex(segments, s => s.Equals("V1.0", StringComparison.OrdinalIgnoreCase));
        var rest = segments.AsSpan(version + 1);
        if (rest.IsEmpty)
        {
            return "";
        }

        var entity = rest[0];
        // Autotask: "ZoneInformation requests are exempt from thread limiting".
        if (entity.Equals("ZoneInformation", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // {Parent}/{parentId}/{Child}[/query…]: the child entity.
        if (rest.Length >= 3 && rest[1].All(char.IsAsciiDigit))
        {
            var child = rest[2];
            return Children.TryGetValue(entity + "/" + child, out var named) ? named : Singular(entity) + child;
        }

        return entity;
    }

    private static string Singular(string entity) =>
        entity.EndsWith("ies", StringComparison.Ordinal) ? entity[..^3] + "y"
        : entity.EndsWith('s') ? entity[..^1]
        : entity;
}
