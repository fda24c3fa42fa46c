using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Logging;
using EasyConnect.Sync.Persistence.Embedded;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Persistence;

/// <summary>Registers the database: the embedded server when needed, the DbContext, migrations and Data Protection.</summary>
public static class PersistenceExtensions
{
    /// <summary>
    /// Adds EasyConnect's database. Without <c>ConnectionStrings:EasyConnect</c> it starts the embedded
    /// PostgreSQL first and puts its connection string into the configuration, so every later
    /// registration (Hangfire, health checks) reads the same one.
    /// </summary>
    public static IHostApplicationBuilder AddEasyConnectPersistence(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(PersistenceOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var embedded = StartEmbeddedServer(builder);
            connectionString = embedded.ConnectionString;
            builder.Configuration[$"ConnectionStrings:{PersistenceOptions.ConnectionStringName}"] = connectionString;
            builder.Services.AddSingleton(embedded);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
        }

        builder.Services.AddOptions<PersistenceOptions>().BindConfiguration(PersistenceOptions.SectionName);
        // Pooled: the engines make a context per ticket and per look-up, and setting up a fresh one (its own service scope, its
        // options) cost more memory than the ticket's queries. A context is reset when it goes back to the pool.
        builder.Services.AddPooledDbContextFactory<EasyConnectDbContext>(options => options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        // Identity, Data Protection and the health check take the context from their scope: a pooled one, returned when the scope ends.
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<EasyConnectDbContext>>().CreateDbContext());
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.TryAddTimeProvider();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<Notifications.NotificationCenter>();
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("EasyConnect")
            .PersistKeysToDbContext<EasyConnectDbContext>();
        builder.AddKeyEncryption(dataProtection);
        return builder;
    }

    /// <summary>
    /// Encrypts the Data Protection key ring at rest with the certificate of <see cref="KeyEncryptionOptions"/>, kept outside the
    /// database: a backup of the database alone cannot decrypt the stored PSA and portal keys, nor forge a login cookie.
    /// </summary>
    private static void AddKeyEncryption(this IHostApplicationBuilder builder, IDataProtectionBuilder dataProtection)
    {
        builder.Services.AddOptions<KeyEncryptionOptions>().BindConfiguration(KeyEncryptionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Data Protection takes its certificates at registration, so the file is read (or made) now, before the host is built.
        var options = builder.Configuration.GetSection(KeyEncryptionOptions.SectionName).Get<KeyEncryptionOptions>() ?? new();
        var certificates = KeyEncryptionCertificate.LoadOrCreate(options, builder.Environment.ContentRootPath, TimeProvider.System);
        builder.Services.AddSingleton(certificates);
        builder.Services.AddHostedService<KeyEncryptionReport>();
        dataProtection.ProtectKeysWithCertificate(certificates.Current).UnprotectKeysWithAnyCertificate([.. certificates.All]);
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static EmbeddedPostgres StartEmbeddedServer(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(EmbeddedPostgresOptions.SectionName).Get<EmbeddedPostgresOptions>() ?? new();
        Validate(options);
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddEasyConnectConsole());
        var server = new EmbeddedPostgres(options, builder.Environment.ContentRootPath, loggerFactory.CreateLogger<EmbeddedPostgres>());
        // Registrations below need the connection string, so the server has to be up before the host is built.
        server.StartAsync().GetAwaiter().GetResult();
        return server;
    }

    private static void Validate(EmbeddedPostgresOptions options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(EmbeddedPostgresOptions.SectionName, typeof(EmbeddedPostgresOptions),
                results.Select(r => $"{EmbeddedPostgresOptions.SectionName}: {r.ErrorMessage}"));
        }
    }
}
