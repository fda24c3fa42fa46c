using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Sandbox.Autotask;

namespace EasyConnect.Tests.Sync.Psa.Autotask;

/// <summary>
/// The Autotask rules behind the note settings and the ClusterID sources, as the sandbox enforces them over real HTTP: a ticket note's
/// publish level and note type must be active values of the tenant's picklists, <c>"udf": true</c> filters on a user-defined field,
/// configuration items carry user-defined fields, and a picklist value names its parent value where Autotask has one.
/// </summary>
public sealed class AutotaskSandboxNoteSettingsAndUdfTests : IAsyncLifetime
{
    private AutotaskSandboxHost _host = default!;
    private HttpClient _http = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await AutotaskSandboxHost.StartAsync();
        _http = _host.Client();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"noteType":13,"publish":2}""", "noteType", "inactive")]
    [InlineData("""{"noteType":99,"publish":2}""", "noteType", "does not exist")]
    [InlineData("""{"noteType":3,"publish":3}""", "publish", "does not exist")]
    public async Task Notes_AnswerA500WithErrors_WhenThePublishLevelOrNoteTypeIsInactiveOrUnknown(string values, string field, string why)
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[0];
        var before = _host.State.Ids(AutotaskSandboxState.TicketNotes).Count;
        var body = JsonNode.Parse(values)!.AsObject();
        body["title"] = "Update";
        body["description"] = "Replaced the toner.";

        // Act
        using var response = await _http.PostAsync($"Tickets/{ticket}/Notes", Json(body.ToJsonString()), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = Assert.Single(await ErrorsOf(response));
        Assert.Contains(field, error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Equal(before, _host.State.Ids(AutotaskSandboxState.TicketNotes).Count);
    }

    [Fact]
    public async Task Notes_AcceptAnActiveInternalPublishLevelAndNoteType()
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[0];

        // Act
        using var response = await _http.PostAsync($"Tickets/{ticket}/Notes", Json("""{"title":"Update","description":"Done.","noteType":3,"publish":4}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["itemId"]!.GetValue<long>();
        var note = _host.State.Find(AutotaskSandboxState.TicketNotes, id)!;
        Assert.Equal((3, 4), (note["noteType"]!.GetValue<int>(), note["publish"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Query_MatchesTheUserDefinedField_OnlyWhenTheFilterSaysUdf()
    {
        // Arrange
        var expected = _host.State.Ids(AutotaskSandboxState.ConfigurationItems)
            .Where(id => Udf(_host.State.Find(AutotaskSandboxState.ConfigurationItems, id)!, AutotaskSandboxState.ClusterIdField) == "CL-000007").ToList();

        // Act
        var byUdf = await QueryIds("""{"filter":[{"op":"eq","field":"ClusterID","udf":true,"value":"CL-000007"}]}""");
        var byField = await QueryIds("""{"filter":[{"op":"eq","field":"ClusterID","value":"CL-000007"}]}""");
        var notUdf = await QueryIds("""{"filter":[{"op":"eq","field":"ClusterID","udf":false,"value":"CL-000007"}]}""");

        // Assert
        Assert.Single(expected);
        Assert.Equal(expected, byUdf);
        Assert.Empty(byField);
        Assert.Empty(notUdf);
    }

    [Fact]
    public async Task Query_HonoursEveryOperatorOnAUserDefinedField_InsideGroups()
    {
        // Arrange: the seeded items carry an asset tag, except every third one whose tag is empty.
        var items = _host.State.Ids(AutotaskSandboxState.ConfigurationItems).Select(id => _host.State.Find(AutotaskSandboxState.ConfigurationItems, id)!).ToList();
        var tagged = items.Where(i => Udf(i, AutotaskSandboxState.AssetTagField) is not null).Select(Id).ToList();
        var untagged = items.Where(i => Udf(i, AutotaskSandboxState.AssetTagField) is null).Select(Id).ToList();
        var either = items.Where(i => Udf(i, AutotaskSandboxState.AssetTagField) is "AT-00001" or "AT-00002" || Udf(i, AutotaskSandboxState.ClusterIdField) == "CL-000010").Select(Id).ToList();

        // Act
        var exist = await QueryIds("""{"filter":[{"op":"exist","field":"Asset Tag","udf":true}]}""");
        var notExist = await QueryIds("""{"filter":[{"op":"notExist","field":"Asset Tag","udf":true}]}""");
        var grouped = await QueryIds("""
            {"filter":[{"op":"or","items":[{"op":"in","field":"Asset Tag","udf":true,"value":["AT-00001","AT-00002"]},{"op":"beginsWith","field":"ClusterID","udf":true,"value":"CL-000010"}]}]}
            """);

        // Assert
        Assert.NotEmpty(untagged);
        Assert.Equal(tagged, exist);
        Assert.Equal(untagged, notExist);
        Assert.Equal(3, either.Count);
        Assert.Equal(either, grouped);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("1")]
    public async Task Query_AnswersA500WithErrors_WhenTheUdfFlagIsNotABoolean(string flag)
    {
        // Act
        using var response = await _http.PostAsync("ConfigurationItems/query",
            Json($$"""{"filter":[{"op":"eq","field":"ClusterID","udf":{{flag}},"value":"CL-000007"}]}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(await ErrorsOf(response), e => e.Contains("udf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserDefinedFields_ListTheConfigurationItemsFields()
    {
        // Act
        var fields = JsonNode.Parse(await _http.GetStringAsync("ConfigurationItems/entityInformation/userDefinedFields", Ct))!["fields"]!.AsArray();

        // Assert
        Assert.Equal([AutotaskSandboxState.AssetTagField, AutotaskSandboxState.ClusterIdField], fields.Select(f => f!["name"]!.GetValue<string>()));
        Assert.All(fields, f => Assert.True(f!["isQueryable"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task AddConfigurationItem_WithoutAReferenceTitle_KeepsItsSerialNumberAndExtraUserDefinedFields()
    {
        // Arrange
        var company = _host.State.Ids(AutotaskSandboxState.Companies)[0];

        // Act
        var id = _host.State.AddConfigurationItem(null, company, "CL-NEW", "SN-CL-NEW", new Dictionary<string, string> { ["Rack"] = "R12" });
        var item = JsonNode.Parse(await _http.GetStringAsync($"ConfigurationItems/{id}", Ct))!["item"]!.AsObject();

        // Assert
        Assert.Null(item["referenceTitle"]);
        Assert.Equal("SN-CL-NEW", item["serialNumber"]!.GetValue<string>());
        Assert.Equal(("CL-NEW", "R12"), (Udf(item, AutotaskSandboxState.ClusterIdField), Udf(item, "Rack")));
        Assert.Equal([id], await QueryIds("""{"filter":[{"op":"eq","field":"Rack","udf":true,"value":"R12"}]}"""));
    }

    [Fact]
    public async Task Fields_NameTheParentValueOfSubIssueTypes_AndNoneForQueues()
    {
        // Act
        var fields = JsonNode.Parse(await _http.GetStringAsync("Tickets/entityInformation/fields", Ct))!["fields"]!.AsArray();

        // Assert
        JsonNode Field(string name) => fields.Single(f => f!["name"]!.GetValue<string>() == name)!;
        var issueTypes = Field("issueType")["picklistValues"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()).ToHashSet();
        var sub = Field("subIssueType");
        Assert.Equal("issueType", sub["picklistParentValueField"]!.GetValue<string>());
        Assert.All(sub["picklistValues"]!.AsArray(), v => Assert.Contains(v!["parentValue"]!.GetValue<string>(), issueTypes));
        Assert.Equal(["1", "1", "2", "2", "3", "3"], sub["picklistValues"]!.AsArray().Select(v => v!["parentValue"]!.GetValue<string>()));
        var queue = Field("queueID");
        Assert.Equal("", queue["picklistParentValueField"]!.GetValue<string>());
        Assert.All(queue["picklistValues"]!.AsArray(), v => Assert.Equal("", v!["parentValue"]!.GetValue<string>()));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static long Id(JsonObject row) => row["id"]!.GetValue<long>();

    private static string? Udf(JsonObject row, string name) =>
        (row["userDefinedFields"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(u => u["name"]?.GetValue<string>() == name)?["value"]?.GetValue<string>();

    private async Task<List<long>> QueryIds(string query)
    {
        using var response = await _http.PostAsync("ConfigurationItems/query", Json(query), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonNode.Parse(body)!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())];
    }

    private static async Task<List<string>> ErrorsOf(HttpResponseMessage response) =>
        [.. JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsArray().Select(e => e!.GetValue<string>())];
}
