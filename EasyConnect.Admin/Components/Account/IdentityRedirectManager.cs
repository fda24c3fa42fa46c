using Microsoft.AspNetCore.Components;

namespace EasyConnect.Admin.Components.Account;

/// <summary>Redirects from the static account pages, refusing anything that leaves the site.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    /// <summary>Redirects to <paramref name="uri"/> when it stays on the site, to the Overview otherwise.</summary>
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(Local(uri));

    /// <summary>Redirects to <paramref name="page"/> with <paramref name="query"/>.</summary>
    public void RedirectTo(string page, IReadOnlyDictionary<string, object?> query) =>
        navigationManager.NavigateTo(navigationManager.GetUriWithQueryParameters(Local(page), query));

    /// <summary>
    /// <paramref name="uri"/> when it is a path on this site; "/" for anything else — another host (<c>https://…</c>,
    /// <c>//host</c>, <c>/\host</c>, which browsers read as <c>//host</c>), a <c>javascript:</c> URL, control characters.
    /// </summary>
    public static string Local(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "/";
        }

        if (uri.Any(c => char.IsControl(c) || c == '\\'))
        {
            return "/";
        }

        if (uri[0] == '/')
        {
            return uri.Length > 1 && uri[1] == '/' ? "/" : uri;
        }

        // A page of this site named without a leading slash ("Account/Lockout"); anything with a scheme is refused.
        return uri.Contains(':', StringComparison.Ordinal) || !Uri.IsWellFormedUriString(uri, UriKind.Relative) ? "/" : "/" + uri;
    }
}
