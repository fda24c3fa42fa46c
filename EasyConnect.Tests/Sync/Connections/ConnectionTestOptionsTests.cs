using EasyConnect.Sync.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EasyConnect.Tests.Sync.Connections;

public sealed class ConnectionTestOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("601")]
    public void Options_AreRefusedNamingTheSetting_WhenTheTestTimeoutIsOutOfRange(string seconds)
    {
        using var services = Services(seconds);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ConnectionTestOptions>>().Value);

        Assert.Contains("TestTimeoutSeconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_GiveTwentySeconds_WhenNothingIsConfigured()
    {
        using var services = Services(null);

        Assert.Equal(20, services.GetRequiredService<IOptions<ConnectionTestOptions>>().Value.TestTimeoutSeconds);
    }

    private static ServiceProvider Services(string? seconds)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        if (seconds is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["EasyConnect:Connections:TestTimeoutSeconds"] = seconds });
        }

        builder.AddEasyConnectConnections();
        return builder.Services.BuildServiceProvider();
    }
}
