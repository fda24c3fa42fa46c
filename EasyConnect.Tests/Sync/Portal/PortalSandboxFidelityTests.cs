using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Portal;

/// <summary>The sandbox's ticket, comment and user bodies checked against the schemas of Zendesk's published OpenAPI document.</summary>
public sealed class PortalSandboxFidelityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Responses_MatchZendeskSchemas_ForTicketCommentsUsersAndExport()
    {
        // Arrange
        var spec = OpenApiSchemas.FromYaml(SharedReference.File("zendesk/zendesk-support-oas.yaml"), Reading);
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 5);
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{host.State.Options.AgentEmail}/token:{host.State.Options.ApiToken}")));
        var checks = new (string Url, System.Text.Json.Nodes.JsonNode Schema)[]
        {
            ("api/v2/tickets/1.json", spec.Named("TicketResponse")),
            // The document describes cursor pagination's meta and links once (Pagination), not on each list response.
            ("api/v2/tickets/1/comments.json?page[size]=2", spec.Merged("TicketCommentsResponse", "Pagination")),
            ("api/v2/users/me.json", spec.Named("UserResponse")),
            ("api/v2/users/show_many.json?ids=1000,1001", spec.Named("UsersResponse")),
            ("api/v2/incremental/tickets/cursor.json?start_time=0", spec.Named("CursorBasedExportIncrementalTicketsResponse")),
        };

        // Act
        var errors = new List<string>();
        foreach (var (url, schema) in checks)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(url, Ct));
            errors.AddRange(spec.Check(document.RootElement, schema, url));
        }

        // Assert
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Check_FindsTheFault_WhenABodyBreaksTheSchema()
    {
        // Arrange: a ticket with an unknown status, a misspelt field and a date that is not one.
        var spec = OpenApiSchemas.FromYaml(SharedReference.File("zendesk/zendesk-support-oas.yaml"), Reading);
        using var body = JsonDocument.Parse("""{"ticket": {"subject": "Printer", "status": "waiting", "subjekt": "x", "created_at": "yesterday"}}""");

        // Act
        var errors = spec.Check(body.RootElement, spec.Named("TicketResponse"), "ticket");

        // Assert
        Assert.Contains(errors, e => e.Contains("/ticket/status", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("subjekt", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/ticket/created_at", StringComparison.Ordinal));
    }

    // Zendesk's own examples send null for fields the document does not mark nullable (assignee_id, group_id, …), so null passes.
    private static readonly OpenApiReading Reading = new(ApplyRequired: true, NullAlwaysAllowed: true);
}
