using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>
/// The ConnectWise sandbox's bodies for tickets, notes, members, priorities, boards, statuses and companies, checked against the
/// response schemas of ConnectWise's published OpenAPI document (read at test time, never copied into the project).
/// </summary>
public sealed class ConnectWiseSandboxFidelityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Responses_MatchConnectWiseSchemas_ForEveryEntityTheSyncReads()
    {
        // Arrange
        var spec = OpenApiSchemas.FromJson(SharedReference.File("connectwise/connectwise-psa-openapi-2026.4-get-subset.json"),
            new OpenApiReading(ApplyRequired: false, NullAlwaysAllowed: false));
        await using var host = await ConnectWiseSandboxHost.StartAsync();
        var client = host.Client();
        var ticket = (await ConnectWiseClientTests.ReadAll(client, EasyConnect.Sync.Psa.PsaEntity.Tickets, null)).First();
        await client.CreateNoteAsync(ticket.Id, new EasyConnect.Sync.Psa.PsaNoteCreate("Checked against the schema.", EasyConnect.Sync.Psa.PsaNoteVisibility.Internal, null), Ct);
        var board = host.State.Defaults().BoardId.ToString(CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri(host.Site.TrimEnd('/') + "/" + host.State.Options.Codebase + "apis/3.0/") };
        var o = host.State.Options;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.CompanyId}+{o.PublicKey}:{o.PrivateKey}")));
        http.DefaultRequestHeaders.Add("clientId", "6b1f8d0e-0000-4000-8000-00000000ec01");
        var checks = new (string Url, string SpecPath)[]
        {
            ($"service/tickets/{ticket.Id}", "/service/tickets/{id}"),
            ("service/tickets?pageSize=5", "/service/tickets"),
            ($"service/tickets/{ticket.Id}/notes", "/service/tickets/{parentId}/notes"),
            ("system/members?pageSize=50", "/system/members"),
            ("service/priorities", "/service/priorities"),
            ("service/boards", "/service/boards"),
            ($"service/boards/{board}/statuses", "/service/boards/{parentId}/statuses"),
            ("company/companies?pageSize=50", "/company/companies"),
        };

        // Act
        var errors = new List<string>();
        var records = 0;
        foreach (var (url, path) in checks)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(url, Ct));
            records += document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.GetArrayLength() : 1;
            errors.AddRange(spec.Check(document.RootElement, spec.GetResponse(path), url));
        }

        // Assert
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.True(records > 20, $"only {records} records were checked");
    }

    [Fact]
    public void Check_FindsTheFault_WhenABodyBreaksTheSchema()
    {
        // Arrange: a ticket with a misspelt field, a number where a string belongs and a null id.
        var spec = OpenApiSchemas.FromJson(SharedReference.File("connectwise/connectwise-psa-openapi-2026.4-get-subset.json"),
            new OpenApiReading(ApplyRequired: false, NullAlwaysAllowed: false));
        using var body = JsonDocument.Parse("""{"id": null, "summary": 42, "sumary": "x"}""");

        // Act
        var errors = spec.Check(body.RootElement, spec.GetResponse("/service/tickets/{id}"), "ticket");

        // Assert
        Assert.Contains(errors, e => e.Contains("/summary", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("sumary", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ticket /id:", StringComparison.Ordinal));
    }
}
