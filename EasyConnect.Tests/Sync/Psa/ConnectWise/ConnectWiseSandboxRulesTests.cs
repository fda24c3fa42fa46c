using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Sandbox;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>
/// The ConnectWise rules the Developer Guide documents, as the sandbox enforces them over raw HTTP: paging modes, the Link
/// header, page sizes, the condition grammar, PATCH paths, response shapes, the codebase redirect and the 429 body.
/// </summary>
public sealed partial class ConnectWiseSandboxRulesTests : IAsyncLifetime
{
    private ConnectWiseSandboxHost _host = default!;
    private HttpClient _http = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await ConnectWiseSandboxHost.StartAsync();
        _http = Api(_host, _host.State.Codebase);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task CompanyInfo_AnswersEveryFieldAsAString_WhenTheCompanyIsKnown()
    {
        // Arrange
        using var http = new HttpClient();

        // Act
        var body = await http.GetStringAsync($"{_host.Site.TrimEnd('/')}/login/companyinfo/{_host.State.Options.CompanyId}", Ct);

        // Assert
        using var json = JsonDocument.Parse(body);
        Assert.All(json.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal("True", json.RootElement.GetProperty("IsCloud").GetString());
        Assert.Matches(@"^v\d{4}_\d+/$", json.RootElement.GetProperty("Codebase").GetString());
    }

    [Fact]
    public async Task ForwardOnly_AnswersInvalidObject_WhenOrderByIsSent()
    {
        // Act
        using var response = await Get("company/companies?orderBy=id%20asc&pageSize=5", forwardOnly: true);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("InvalidObject", json.RootElement.GetProperty("code").GetString());
        Assert.Contains("orderBy", json.RootElement.GetProperty("errors")[0].GetProperty("field").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardOnly_ServesIdsAbovePageIdInIdOrder_IgnoringPage()
    {
        // Act
        using var response = await Get("company/configurations?pageId=5&page=3&pageSize=10", forwardOnly: true);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Enumerable.Range(6, 10), await Ids(response));
        Assert.Contains("pageId=15>; rel=\"next\"", Link(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardOnly_SendsALinkToTheNextPageId_EvenOnTheLastPage()
    {
        // Act
        using var response = await Get("company/companies?pageSize=1000", forwardOnly: true);

        // Assert
        Assert.Equal(20, (await Ids(response)).Count);
        Assert.Contains("pageId=20>; rel=\"next\"", Link(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigable_IgnoresPageId_WhenThePaginationHeaderIsMissing()
    {
        // Act
        using var response = await Get("company/configurations?pageId=5&pageSize=10");

        // Assert
        Assert.Equal(Enumerable.Range(1, 10), await Ids(response));
    }

    [Theory]
    [InlineData(1, "first,next,last")]
    [InlineData(3, "first,prev,next,last")]
    [InlineData(8, "first,prev,last")]
    public async Task Navigable_LinkNamesFirstAndLastAlways_AndPrevNextOnlyWhereTheyApply(int page, string rels)
    {
        // Act: 200 configurations, 25 a page, so 8 pages.
        using var response = await Get($"company/configurations?page={page}");

        // Assert
        Assert.Equal(rels, string.Join(",", Regex.Matches(Link(response), "rel=\"(\\w+)\"").Select(m => m.Groups[1].Value)));
        Assert.Contains("page=8>; rel=\"last\"", Link(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigable_LinkNamesPageOneAsFirstAndLast_WhenEverythingFitsOnePage()
    {
        // Act
        using var response = await Get("service/boards");

        // Assert
        Assert.Equal(4, (await Ids(response)).Count);
        Assert.Equal(["first", "last"], Regex.Matches(Link(response), "rel=\"(\\w+)\"").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task PageSize_Is25_WhenNoneIsSent()
    {
        // Act
        using var response = await Get("company/configurations");

        // Assert
        Assert.Equal(25, (await Ids(response)).Count);
    }

    [Fact]
    public async Task PageSize_IsCappedAt1000_WhenMoreIsAsked()
    {
        // Arrange
        await using var host = await ConnectWiseSandboxHost.StartAsync(s => s.Configurations = 1200);
        using var http = Api(host, host.State.Codebase);

        // Act
        using var response = await http.GetAsync("company/configurations?pageSize=5000", Ct);

        // Assert
        Assert.Equal(1000, (await Ids(response)).Count);
    }

    [Theory]
    [InlineData("id = 3", "3")]
    [InlineData("ID = 3", "3")]
    [InlineData("Identifier = \"ContosoDental\"", "1")]
    [InlineData("name = 'Contoso Dental'", "1")]
    [InlineData("id in (2, 4, 6)", "2,4,6")]
    [InlineData("name contains \"Dental\" and id < 14", "1,11")]
    [InlineData("name like \"Fab*\"", "2,14")]
    [InlineData("name not contains \"o\" and id <= 4", "4")]
    [InlineData("deletedFlag = False and (id = 1 or id = 2)", "1,2")]
    [InlineData("DeletedFlag = True", "")]
    [InlineData("lastUpdated > [2030-01-01T00:00:00Z]", "")]
    [InlineData("lastUpdated > [2025-12-31T00:00:00Z] and id <= 2", "1,2")]
    [InlineData("status/name = \"Active\" and id <= 2", "1,2")]
    public async Task Conditions_SelectTheDocumentedRows_WhenWrittenInConnectWiseGrammar(string conditions, string ids)
    {
        // Act
        using var response = await Get($"company/companies?pageSize=1000&conditions={Uri.EscapeDataString(conditions)}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ids, string.Join(",", await Ids(response)));
    }

    [Theory]
    [InlineData("name = Contoso")]
    [InlineData("lastUpdated > 2026-01-01T00:00:00Z")]
    [InlineData("(id = 1")]
    public async Task Conditions_AnswerInvalidObject_WhenNotInConnectWiseGrammar(string conditions)
    {
        // Act
        using var response = await Get($"company/companies?conditions={Uri.EscapeDataString(conditions)}");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"InvalidObject\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Summary")]
    [InlineData("company/identifier")]
    public async Task Patch_AnswersAFalse200AndChangesNothing_WhenThePathIsNotExact(string path)
    {
        // Arrange
        var before = _host.State.FindTicket(1)!;
        var value = path == "Summary" ? "\"Changed\"" : "\"Other\"";

        // Act
        using var response = await Send(HttpMethod.Patch, "service/tickets/1", $"[{{\"op\":\"replace\",\"path\":\"{path}\",\"value\":{value}}}]");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = _host.State.FindTicket(1)!;
        Assert.Equal(before.Summary, after.Summary);
        Assert.Equal(before.CompanyId, after.CompanyId);
    }

    [Fact]
    public async Task Patch_ChangesTheField_WhenThePathIsExact()
    {
        // Act
        using var response = await Send(HttpMethod.Patch, "service/tickets/1", "[{\"op\":\"replace\",\"path\":\"summary\",\"value\":\"Changed\"}]");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Changed", _host.State.FindTicket(1)!.Summary);
    }

    [Fact]
    public async Task Responses_LeaveOutNullProperties_AndStampWholeSecondsInUtc()
    {
        // Arrange: a ticket created without the optional fields, and a note.
        var (board, _, _) = _host.State.Defaults();
        using var created = await Send(HttpMethod.Post, "service/tickets", $"{{\"summary\":\"Bare\",\"board\":{{\"id\":{board}}},\"company\":{{\"id\":1}}}}");
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetInt32();
        var urls = new[] { $"service/tickets/{id}", "service/tickets?pageSize=50", $"service/tickets/{id}/notes", "service/tickets/1/notes", "system/members", "company/companies", "company/configurations", "service/boards", "service/priorities", "service/boards/1/statuses" };

        // Act
        var problems = new List<string>();
        var stamps = 0;
        foreach (var url in urls)
        {
            using var json = JsonDocument.Parse(await _http.GetStringAsync(url, Ct));
            Walk(json.RootElement, url, problems, ref stamps);
        }

        // Assert
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(stamps > 50, $"only {stamps} stamps were checked");
    }

    [Fact]
    public async Task NoteText_ComesBackWithSpacesForLineBreaks_WhenPostedWithCarriageReturnsAndLineFeeds()
    {
        // Act
        using var response = await Send(HttpMethod.Post, "service/tickets/1/notes", "{\"text\":\"First line\\r\\nSecond\\nThird\\tend\",\"internalAnalysisFlag\":true}");

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("First line  Second Third\tend", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task InitialDescription_IsNeverReturned_AndBecomesTheFirstDiscussionNote()
    {
        // Arrange
        var (board, _, _) = _host.State.Defaults();

        // Act
        using var created = await Send(HttpMethod.Post, "service/tickets", $"{{\"summary\":\"With text\",\"board\":{{\"id\":{board}}},\"company\":{{\"id\":1}},\"initialDescription\":\"The printer\\nis on fire\"}}");
        var body = await created.Content.ReadAsStringAsync(Ct);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
        var read = await _http.GetStringAsync($"service/tickets/{id}", Ct);

        // Assert
        Assert.DoesNotContain("initialDescription", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("initialDescription", read, StringComparison.OrdinalIgnoreCase);
        var note = Assert.Single(_host.State.NotesOf(id));
        Assert.True(note.Discussion);
        Assert.Equal("The printer is on fire", note.Text);
    }

    [Fact]
    public async Task OnPremiseCodebase_RedirectsToTheCloudCodebase_AndAFollowedRedirectLosesTheSignIn()
    {
        // Arrange
        using var following = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true });
        using var notFollowing = Api(_host, "v4_6_release/");
        Authorize(following);

        // Act
        using var redirect = await notFollowing.GetAsync("service/tickets/1", Ct);
        using var followed = await following.GetAsync(new Uri(notFollowing.BaseAddress!, "service/tickets/1"), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Contains($"/{_host.State.Codebase}apis/3.0/service/tickets/1", redirect.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, followed.StatusCode);
    }

    [Fact]
    public async Task References_CarryInfoHrefsWithADoubleSlash_AsConnectWiseWritesThem()
    {
        // Act
        using var json = JsonDocument.Parse(await _http.GetStringAsync("service/tickets/1", Ct));

        // Assert
        var href = json.RootElement.GetProperty("board").GetProperty("_info").GetProperty("board_href").GetString();
        Assert.Contains("/v4_6_release/apis/3.0//service/boards/", href, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_AnswersTheDocumented429Body_WithRetryAfter()
    {
        // Arrange
        _host.Faults.FailNext(SandboxFaultKind.Throttle);

        // Act
        using var response = await Get("service/tickets/1");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("ConnectWiseAPI", json.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("Too many requests. Please try again in", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex WholeSecondUtc();

    private static void Walk(JsonElement e, string at, List<string> problems, ref int stamps)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        problems.Add($"{at}.{p.Name} is null");
                    }
                    else if (p.Name is "lastUpdated" or "dateEntered" or "dateCreated" or "hireDate")
                    {
                        stamps++;
                        if (!WholeSecondUtc().IsMatch(p.Value.GetString() ?? ""))
                        {
                            problems.Add($"{at}.{p.Name} is \"{p.Value}\", not whole seconds in UTC with Z");
                        }
                    }

                    Walk(p.Value, $"{at}.{p.Name}", problems, ref stamps);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, $"{at}[{i++}]", problems, ref stamps);
                }

                break;
        }
    }

    private static HttpClient Api(ConnectWiseSandboxHost host, string codebase)
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(host.Site.TrimEnd('/') + "/" + codebase + "apis/3.0/"),
        };
        var o = host.State.Options;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.CompanyId}+{o.PublicKey}:{o.PrivateKey}")));
        http.DefaultRequestHeaders.Add("clientId", "6b1f8d0e-0000-4000-8000-00000000ec01");
        return http;
    }

    private void Authorize(HttpClient http)
    {
        var o = _host.State.Options;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.CompanyId}+{o.PublicKey}:{o.PrivateKey}")));
        http.DefaultRequestHeaders.Add("clientId", "6b1f8d0e-0000-4000-8000-00000000ec01");
    }

    private Task<HttpResponseMessage> Get(string url, bool forwardOnly = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (forwardOnly)
        {
            request.Headers.Add("pagination-type", "forward-only");
        }

        return _http.SendAsync(request, Ct);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string json) =>
        _http.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, Ct);

    private static string Link(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : "";

    private static async Task<List<int>> Ids(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt32())];
    }
}
