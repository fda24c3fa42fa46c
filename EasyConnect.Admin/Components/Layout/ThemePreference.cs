using Microsoft.JSInterop;

namespace EasyConnect.Admin.Components.Layout;

/// <summary>
/// A user's light or dark choice, kept in the browser's localStorage under the user's name: no column and no migration for a
/// preference that belongs to the screen in front of them.
/// </summary>
internal static class ThemePreference
{
    private const string KeyPrefix = "easyconnect-dark-mode:";

    /// <summary>The stored choice, or null when the user has not chosen (the system's preference applies).</summary>
    public static async Task<bool?> GetAsync(IJSRuntime js, string? user) =>
        await js.InvokeAsync<string?>("localStorage.getItem", KeyPrefix + user) switch
        {
            "dark" => true,
            "light" => false,
            _ => null,
        };

    public static async Task SetAsync(IJSRuntime js, string? user, bool dark) =>
        await js.InvokeVoidAsync("localStorage.setItem", KeyPrefix + user, dark ? "dark" : "light");
}
