using System.Diagnostics;
using System.Globalization;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Benchmarks.Mapping;

/// <summary>
/// The server's work behind the user mapping page with many users and members: its first page, a search of users, and the member
/// search of the manual choice, each as the page asks for it (the same <see cref="UserMappings"/> calls, the same page size).
/// </summary>
internal sealed class UserMappingBenchmark : IBenchmarkCommand
{
    private const int PageSize = 25;
    private const int Repeats = 30;

    public string Name => "user-mapping";

    public string Summary => "user mapping page's first page and searches with 5,000 users and 5,000 members (server time)";

    public bool IsBenchmark => true;

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("users", "5,000", "EasyConnect users"),
        new("members", "5,000", "mirrored PSA members"),
    ];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var users = arguments.Int("users", 5_000, 1, 1_000_000);
        var members = arguments.Int("members", 5_000, 1, 1_000_000);
        var report = new Report(output);
        output.WriteLine($"EasyConnect benchmark: user mapping page with {users:N0} users and {members:N0} members");
        report.Line("machine", $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

        await using var database = await BenchmarkDatabase.StartAsync(cancellationToken);
        var connection = await SeedAsync(database, users, members, cancellationToken);
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(database.ConnectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<UserMappings>();
        await using var provider = services.BuildServiceProvider();
        var mappings = provider.GetRequiredService<UserMappings>();

        report.Heading($"Server time per request, {Repeats} runs each after a warm-up (target: < 150 ms)");
        await Measure("first page (all users, 25 rows, total count)", () => mappings.ListAsync(connection, UserMappingFilter.All, null, 0, PageSize, cancellationToken));
        await Measure("a later page (page 100)", () => mappings.ListAsync(connection, UserMappingFilter.All, null, 99 * PageSize, PageSize, cancellationToken));
        await Measure("unmapped users only, first page", () => mappings.ListAsync(connection, UserMappingFilter.Unmapped, null, 0, PageSize, cancellationToken));
        await Measure("search users: \"user0042\"", () => mappings.ListAsync(connection, UserMappingFilter.All, "user0042", 0, PageSize, cancellationToken));
        await Measure("search users: \"smith\" (many matches)", () => mappings.ListAsync(connection, UserMappingFilter.All, "smith", 0, PageSize, cancellationToken));
        await Measure("member choice search: \"jones 12\"", () => mappings.SearchMembersAsync(connection, "jones 12", 20, cancellationToken));
        return 0;

        async Task Measure<T>(string label, Func<Task<T>> request)
        {
            await request();
            var times = new List<double>(Repeats);
            for (var i = 0; i < Repeats; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await request();
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            var p95 = times[(int)Math.Ceiling(times.Count * 0.95) - 1];
            report.Line(label, $"median {median:N1} ms, p95 {p95:N1} ms, max {times[^1]:N1} ms ({median / 150:0.00} of the target)");
        }
    }

    private static async Task<Guid> SeedAsync(BenchmarkDatabase database, int users, int members, CancellationToken cancellationToken)
    {
        var surnames = new[] { "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker" };
        var now = DateTimeOffset.UtcNow;
        await using var db = database.CreateContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var connection = new PsaConnection
        {
            Id = Guid.NewGuid(), Kind = PsaKind.ConnectWise, InstanceKey = "benchmark|mapping", DisplayName = "benchmark",
            State = ConnectionState.Active, CreatedAt = now, CreatedBy = "benchmark",
        };
        db.PsaConnections.Add(connection);
        for (var i = 0; i < members; i++)
        {
            var last = surnames[i % surnames.Length];
            var email = $"member{i:0000}@msp.example";
            db.PsaMembers.Add(new MirroredMember
            {
                ConnectionId = connection.Id, PsaId = (i + 1).ToString(CultureInfo.InvariantCulture), Identifier = $"M{i:0000}",
                FirstName = $"First{i}", LastName = $"{last} {i}", PrimaryEmail = email, Emails = [email], Inactive = i % 10 == 9,
                LastModified = now, SyncedAt = now,
            });
        }

        for (var i = 0; i < users; i++)
        {
            var email = $"user{i:0000}@msp.example";
            var id = $"u{i:000000}";
            db.Users.Add(new AppUser
            {
                Id = id, Email = email, NormalizedEmail = email.ToUpperInvariant(), UserName = email, NormalizedUserName = email.ToUpperInvariant(),
                DisplayName = $"User {i} {surnames[i % surnames.Length]}", CreatedAt = now, SecurityStamp = id,
            });
            // Two users in three are mapped, as on a site where auto-map has run and a few remain.
            if (i % 3 != 2 && i < members)
            {
                db.PsaUserMappings.Add(new PsaUserMapping
                {
                    ConnectionId = connection.Id, UserId = id, MemberPsaId = (i + 1).ToString(CultureInfo.InvariantCulture),
                    Method = MappingMethod.Email, MappedAt = now, MappedBy = "benchmark",
                });
            }
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        await using var analyze = database.CreateContext();
        await analyze.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        return connection.Id;
    }
}
