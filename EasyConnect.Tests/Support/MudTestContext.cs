using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace EasyConnect.Tests.Support;

/// <summary>bUnit context with MudBlazor's services and loose JS interop, as MudBlazor's own component tests do.</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
