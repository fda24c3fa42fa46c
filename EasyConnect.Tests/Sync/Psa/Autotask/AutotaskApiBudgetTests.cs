using System.Globalization;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.Autotask;

/// <summary>
/// Autotask's thread limit as Autotask counts it: per entity, not per path (a query, a count, a read and an update of tickets share
/// three threads, a ticket's notes count as TicketNotes, zone discovery is exempt), so many concurrent calls of a sync never meet
/// "Thread Threshold Exceeded" from the sandbox's 3-thread limit.
/// </summary>
public sealed class AutotaskApiBudgetTests : IAsyncLifetime
{
    private AutotaskSandboxHost _host = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await AutotaskSandboxHost.StartAsync(o => o.ThreadLimit = 3);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/ATServicesRest/V1.0/Tickets", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/42", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/query", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/query/count", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/query/next", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/entityInformation", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/entityInformation/fields", "Tickets")]
    [InlineData("/atservicesrest/V1.0/Tickets/42/Notes", "TicketNotes")]
    [InlineData("/atservicesrest/V1.0/Tickets/42/Notes/query", "TicketNotes")]
    [InlineData("/atservicesrest/V1.0/TicketNotes/7", "TicketNotes")]
    [InlineData("/atservicesrest/V1.0/TicketNotes/query", "TicketNotes")]
    [InlineData("/atservicesrest/V1.0/Companies/174/Notes", "CompanyNotes")]
    [InlineData("/atservicesrest/V1.0/ConfigurationItems/9/Notes", "ConfigurationItemNotes")]
    [InlineData("/atservicesrest/V1.0/Companies/174/Contacts", "Contacts")]
    [InlineData("/atservicesrest/V1.0/ThresholdInformation", "ThresholdInformation")]
    [InlineData("/sandbox/autotask/webservices5/ATServicesRest/V1.0/Tickets/query", "Tickets")]
    [InlineData("/ATServicesRest/V1.0/ZoneInformation", null)]
    [InlineData("/ATServicesRest/V1.0/zoneInformation", null)]
    public void EndpointOf_CountsTheEntityAutotaskCounts_ForEachPathShape(string path, string? entity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri("https://webservices5.autotask.net"), path + "?user=x"));

        Assert.Equal(entity, AutotaskEndpoints.Instance.EndpointOf(request));
    }

    [Fact]
    public async Task ConcurrencyLimit_SharesThreeSlots_AcrossTheQueryCountAndRecordPathsOfOneEntity()
    {
        using var services = Services();
        var gate = services.GetRequiredService<ApiBudgetGovernor>().For("slots", AutotaskApiBudget.Defaults);
        using var query = await gate.EnterAsync(Request("Tickets/query"), Ct);
        using var count = await gate.EnterAsync(Request("Tickets/query/count"), Ct);
        using var create = await gate.EnterAsync(Request("Tickets"), Ct);

        var read = gate.EnterAsync(Request("Tickets/42"), Ct).AsTask();
        using var note = await gate.EnterAsync(Request("Tickets/42/Notes"), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using var zone = await gate.EnterAsync(Request("ZoneInformation"), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await Task.Delay(200, Ct);

        Assert.False(read.IsCompleted);
        count.Dispose();
        using var released = await read.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Calls_NeverMeetTheThreadLimit_WhenManyGoAtOnceOnTicketsQueriesRecordsAndNotes()
    {
        // Arrange: every request takes 40 ms, so calls of one entity overlap.
        using var services = Services();
        var client = Client(services);
        var tickets = _host.State.Ids(AutotaskSandboxState.Tickets).Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        await client.GetTicketAsync(tickets[0], Ct);
        _host.Faults.Faults = new SandboxFaults { LatencyMs = 40 };

        // Act
        await Task.WhenAll(SyncCalls(client, tickets)).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        // Assert
        Assert.Equal(0, _host.State.ThreadRefusals);
    }

    [Fact]
    public async Task Calls_MeetTheThreadLimit_WhenEndpointsAreCountedByPath()
    {
        // Arrange: the limits as they were, one pool per path; the sandbox counts as Autotask does, per entity.
        using var services = Services(new ApiBudgetLimits(10_000, TimeSpan.FromHours(1), 3, PerEndpoint: true));
        var client = Client(services);
        var tickets = _host.State.Ids(AutotaskSandboxState.Tickets).Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        await client.GetTicketAsync(tickets[0], Ct);
        _host.Faults.Faults = new SandboxFaults { LatencyMs = 40 };

        // Act
        await Task.WhenAll(SyncCalls(client, tickets)).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        // Assert
        Assert.True(_host.State.ThreadRefusals > 0, "the path-keyed pools let more than 3 ticket calls through at once");
    }

    [Fact]
    public async Task Sandbox_CountsATicketsNotesAsTicketNotes_NotAsTickets()
    {
        _host.Faults.Faults = new SandboxFaults { LatencyMs = 3_000 };
        using var http = _host.Client();
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[0];
        var before = _host.Faults.RequestsReceived;

        var notes = Enumerable.Range(0, 3).Select(_ => http.PostAsync($"Tickets/{ticket}/Notes/query", Json("""{"filter":[{"op":"gte","field":"id","value":0}]}"""), Ct)).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_host.Faults.RequestsReceived < before + 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }

        await Task.Delay(100, Ct);
        var fourth = http.PostAsync("TicketNotes/query", Json("""{"filter":[{"op":"gte","field":"id","value":0}]}"""), Ct);
        var tickets = http.PostAsync("Tickets/query", Json("""{"filter":[{"op":"gte","field":"id","value":0}]}"""), Ct);
        var answers = await Task.WhenAll([.. notes, fourth, tickets]);

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, answers[3].StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, answers[4].StatusCode);
        Assert.Equal(1, _host.State.ThreadRefusals);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    /// <summary>What a busy sync does at once: looks tickets up, counts, reads, updates and adds notes, 84 calls.</summary>
    private static IEnumerable<Task> SyncCalls(IPsaClient client, IReadOnlyList<string> tickets)
    {
        for (var i = 0; i < 12; i++)
        {
            var ticket = tickets[i % tickets.Count];
            yield return client.FindTicketByExternalReferenceAsync("zd-" + i, Ct);
            yield return client.CountAsync(PsaEntity.Tickets, null, Ct);
            yield return client.GetTicketAsync(ticket, Ct);
            yield return client.UpdateTicketAsync(ticket, new PsaTicketUpdate(Summary: "Busy " + i), Ct);
            yield return client.CreateNoteAsync(ticket, new PsaNoteCreate("Note " + i, PsaNoteVisibility.Internal, null), Ct);
            yield return client.ReadConversationAsync(ticket, Ct);
        }
    }

    private ServiceProvider Services(ApiBudgetLimits? limits = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        if (limits is not null)
        {
            // The governor takes the first figures registered for a product.
            services.AddSingleton(new ProductApiBudget(PsaKind.Autotask, limits));
        }

        services.AddEasyConnectAutotask();
        services.Configure<AutotaskOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(50);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.ThrottleDelay = TimeSpan.FromMilliseconds(50);
            o.MaxRetries = 6;
        });
        return services.BuildServiceProvider();
    }

    private IPsaClient Client(ServiceProvider services) =>
        services.GetRequiredService<AutotaskClientFactory>().Create(
            new AutotaskCredentials(_host.State.Options.UserName, _host.State.Options.Secret, _host.State.Options.IntegrationCode),
            new AutotaskClientOptions("budget-" + Guid.NewGuid().ToString("N"), _host.DiscoveryRoot));

    private static HttpRequestMessage Request(string path) => new(HttpMethod.Post, new Uri("https://webservices5.autotask.net/atservicesrest/V1.0/" + path));

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
