using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EasyConnect.Sync.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app; it never connects.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EasyConnectDbContext>
{
    public EasyConnectDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<EasyConnectDbContext>()
        .UseNpgsql("Host=localhost;Database=easyconnect_design", npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history"))
        .UseSnakeCaseNamingConvention()
        .Options);
}
