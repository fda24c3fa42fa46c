using MudBlazor;

namespace EasyConnect.Admin.Components.Layout;

internal static class EasyConnectTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fae",
            Secondary = "#00897b",
            AppbarBackground = "#16325c",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "250px" },
    };
}
