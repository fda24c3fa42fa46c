using System.Globalization;

namespace EasyConnect.Sync.Sandbox.Portal;

public sealed partial class PortalSandboxState
{
    private static readonly (string Subject, string Description, string Reply)[] RecentProblems =
    [
        ("Outlook asks for the password every hour", "Since this morning Outlook keeps asking everyone in sales for their password.", "It asked me again just now."),
        ("Shared drive shows as disconnected", "The S: drive shows a red cross on every laptop in the office.", "Rebooting did not help."),
        ("Label printer in the warehouse is offline", "The warehouse cannot print shipping labels; the printer says offline.", "Orders are piling up, please call us."),
        ("New laptop for a starter on Monday", "Please set up a laptop and an account for our new accountant starting Monday.", "Her name is Jo Carter, jo.carter@contoso.example."),
        ("Teams calls drop after a minute", "Calls in Teams drop after about a minute, only in the office.", "At home it works fine."),
    ];

    /// <summary>The first <paramref name="count"/> ClusterIDs that ConnectWise sandbox configurations carry (CL-000001 onwards).</summary>
    public IReadOnlyList<string> MatchingClusterIds(int count = 10) =>
        [.. Enumerable.Range(1, Math.Clamp(count, 0, Options.MatchingClusterIds)).Select(i => ClusterIdOf(i))];

    private static string ClusterIdOf(int index) => "CL-" + index.ToString("000000", CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="PortalSandboxOptions.RecentTickets"/> tickets stamped over the last hours, an hour apart, the newest a few minutes
    /// ago; each with its description and one reply by its requester.
    /// </summary>
    private void SeedRecent(List<PortalSandboxUser> customers)
    {
        // Stamp() keeps later stamps from going backwards past these.
        var now = Stamp();
        for (var i = 0; i < Options.RecentTickets; i++)
        {
            var (subject, description, reply) = RecentProblems[i % RecentProblems.Length];
            var cluster = ClusterIdOf(i * 3 % Options.MatchingClusterIds + 1);
            var requester = customers[i % customers.Count];
            var at = now.AddHours(i - Options.RecentTickets).AddMinutes(-5);
            var ticket = AddTicketCore($"{subject} ({cluster})", description, cluster, i % 2 == 0 ? "normal" : "high", i % 3 == 2 ? "open" : "new",
                requester.Id, at);
            var repliedAt = at.AddMinutes(2);
            _comments[ticket.Id].Add(new PortalSandboxComment(_nextEventId + 1, ticket.Id, requester.Id, reply, true, repliedAt, _nextEventId));
            _nextEventId += 2;
            Touch(_tickets[ticket.Id] with { UpdatedAt = repliedAt }, repliedAt);
        }
    }
}
