using MudBlazor;

namespace EasyConnect.Admin.Components.Layout;

internal static class EasyConnectTheme
{
    // MudBlazor's default status colours put white chip and button text on 2-3:1 backgrounds; these darker ones keep text at
    // 4.5:1 or more (WCAG AA) on white and on the dark surfaces alike.
    private const string Success = "#2e7d32";
    private const string Warning = "#a14000";
    private const string Info = "#01579b";
    private const string Error = "#c62828";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fae",
            Secondary = "#00695c",
            Success = Success,
            Warning = Warning,
            Info = Info,
            Error = Error,
            AppbarBackground = "#16325c",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
            TextSecondary = "rgba(0,0,0,0.65)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8ab4f8",
            Secondary = "#4db6ac",
            Background = "#1e2129",
            Success = Success,
            Warning = Warning,
            Info = Info,
            Error = Error,
            AppbarBackground = "#16325c",
            TextSecondary = "rgba(255,255,255,0.70)",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "250px" },
    };
}
