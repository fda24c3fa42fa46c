using Bunit;
using EasyConnect.Admin.Components.Integration;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Admin.Integration;

public sealed class ApiBudgetPanelTests(PostgresServer postgres) : MudTestContext, IAsyncLifetime
{
    private readonly PsaConnection _connection = new()
    {
        Id = Guid.NewGuid(), Kind = PsaKind.ConnectWise, InstanceKey = "sandbox", DisplayName = "sandbox", State = ConnectionState.Active,
        CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "tests",
    };

    private string _database = default!;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync("panel");
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(_database, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton(new ProductApiBudget(PsaKind.ConnectWise, ConnectWiseApiBudget.Defaults));
        Services.AddEasyConnectApiBudget();
        await using var db = PostgresServer.CreateContext(_database);
        db.Add(new ApiBudgetBucket { ConnectionKey = PsaConnections.ClientKey(_connection.Id), BucketStart = ApiBudgetStore.BucketOf(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1)), Calls = 37 });
        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
    }

    public new async ValueTask DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public void Panel_ShowsTheCallsOfTheLastHourAgainstTheShare_WhenConnected()
    {
        var panel = Render<ApiBudgetPanel>(p => p.Add(c => c.Connection, _connection).Add(c => c.Actor, () => Task.FromResult(TestUsers.Admin)));

        panel.WaitForAssertion(() => Assert.Contains("Calls in the last hour: 37 of 30,000 (50 % of the PSA's 1,000 per minute",
            Used(panel), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaveShare_StoresTheShareWithAnAuditEntry_WhenTheAdminChangesIt()
    {
        var panel = Render<ApiBudgetPanel>(p => p.Add(c => c.Connection, _connection).Add(c => c.Actor, () => Task.FromResult(TestUsers.Admin)));
        panel.WaitForElement("[data-testid=api-budget-share] input, input[data-testid=api-budget-share]");

        await panel.Find("[data-testid=api-budget-share] input, input[data-testid=api-budget-share]").ChangeAsync(new() { Value = "25" });
        await panel.Find("[data-testid=api-budget-save]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("of 15,000 (25 %", Used(panel), StringComparison.Ordinal));
        await using var db = PostgresServer.CreateContext(_database);
        Assert.Equal(25, (await db.Set<ApiBudgetShare>().SingleAsync(Xunit.TestContext.Current.CancellationToken)).SharePercent);
        Assert.Contains(await db.AuditEntries.ToListAsync(Xunit.TestContext.Current.CancellationToken),
            e => e.Action == "API budget share changed" && e.Actor == TestUsers.Admin && e.Details == "50 % → 25 %");
    }

    private static string Used(IRenderedComponent<ApiBudgetPanel> panel) =>
        System.Text.RegularExpressions.Regex.Replace(panel.Find("[data-testid=api-budget-used]").TextContent, @"\s+", " ");
}
