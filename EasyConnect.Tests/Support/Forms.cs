using System.Net;
using System.Text.RegularExpressions;

namespace EasyConnect.Tests.Support;

/// <summary>Posts the app's server-rendered forms the way a browser does: hidden fields (antiforgery, handler) included.</summary>
public static partial class Forms
{
    /// <summary>GETs <paramref name="path"/>, takes the hidden fields of its form, adds <paramref name="fields"/> and posts it back.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, IDictionary<string, string> fields) =>
        client.PostFormAsync(path, path, fields);

    /// <summary>Takes the hidden fields of a form on page <paramref name="pagePath"/> and posts them with <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pagePath, string action, IDictionary<string, string> fields)
    {
        var page = await client.GetAsync(pagePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = HiddenFields(await page.Content.ReadAsStringAsync());

        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>The hidden fields of a page's forms (antiforgery token, form name), by name.</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var form = new Dictionary<string, string>();
        foreach (Match hidden in HiddenInput().Matches(html))
        {
            form[WebUtility.HtmlDecode(hidden.Groups["name"].Value)] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

        return form;
    }

    /// <summary>Logs in through the login page; returns the response (302 on success).</summary>
    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password = TestUsers.Password) =>
        client.PostFormAsync("Account/Login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
