using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EasyConnect.Sync.Persistence.Embedded;

/// <summary>
/// A private PostgreSQL cluster made from the machine's own server binaries: created on first start,
/// reused afterwards, listening on loopback only, and stopped with its owner.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "easyconnect";
    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string _root;
    private string? _binDirectory;
    private bool _started;

    /// <summary>Creates a launcher; nothing happens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Cluster settings.</param>
    /// <param name="contentRoot">Folder that relative paths are resolved against.</param>
    /// <param name="logger">Where progress is logged; never receives the password.</param>
    public EmbeddedPostgres(EmbeddedPostgresOptions options, string contentRoot, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _root = Path.GetFullPath(options.DataDirectory, contentRoot);
    }

    /// <summary>The cluster's folder (PGDATA).</summary>
    public string ClusterDirectory => Path.Combine(_root, "data");

    /// <summary>The server's log file.</summary>
    public string LogFile => Path.Combine(_root, "server.log");

    private string PasswordFile => Path.Combine(_root, "superuser.password");

    /// <summary>The port the server listens on, once started.</summary>
    public int Port { get; private set; }

    /// <summary>Connection string to <see cref="EmbeddedPostgresOptions.DatabaseName"/>, once started.</summary>
    public string ConnectionString => BuildConnectionString(_options.DatabaseName);

    /// <summary>Whether the server runs as <see cref="EmbeddedPostgresOptions.OsUser"/> because this process is root.</summary>
    public bool RunsAsOtherUser => IsRoot();

    /// <summary>Builds a connection string to another database of the same cluster.</summary>
    public string BuildConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Creates the cluster if it does not exist, recovers from a crashed earlier run, starts the server,
    /// waits until it accepts connections and creates the database.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _binDirectory = FindBinaries();
        Directory.CreateDirectory(_root);
        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            await InitializeClusterAsync(cancellationToken);
        }

        await RecoverFromCrashAsync(cancellationToken);
        Port = _options.Port != 0 ? _options.Port : FreeLoopbackPort();
        await StartServerAsync(cancellationToken);
        _started = true;
        await CreateDatabaseAsync(_options.DatabaseName, cancellationToken);
        _logger.LogInformation("Embedded PostgreSQL is running on 127.0.0.1:{Port} with its data in {Folder}", Port, _root);
    }

    /// <summary>The folder of the server's binaries (pg_dump and psql beside them), once started.</summary>
    public string? BinDirectory => _binDirectory;

    /// <summary>Creates a database in the cluster unless it exists; safe when several callers race.</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default, string? template = null)
    {
        await using var connection = new NpgsqlConnection(BuildConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        var quoted = QuoteIdentifier(database);
        var sql = template is null ? $"CREATE DATABASE {quoted}" : $"CREATE DATABASE {quoted} TEMPLATE {QuoteIdentifier(template)}";
        await using var create = new NpgsqlCommand(sql, connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between the check and the create: what we wanted.
        }
    }

    /// <summary>Stops the server (fast shutdown: open sessions are rolled back).</summary>
    public async Task StopAsync()
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        await RunAsync("pg_ctl", ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60"], asServerUser: true, CancellationToken.None, throwOnError: false);
        _logger.LogInformation("Embedded PostgreSQL stopped");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private string FindBinaries()
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(_options.BinDirectory))
        {
            candidates.Add(_options.BinDirectory);
        }
        else if (_options.SearchDefaultLocations)
        {
            candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            if (Directory.Exists("/usr/lib/postgresql"))
            {
                candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin")));
            }

            candidates.Add("/usr/local/pgsql/bin");
        }

        var found = candidates.FirstOrDefault(d => new[] { "initdb", "pg_ctl", "postgres" }.All(b => File.Exists(Path.Combine(d, b))));
        // A folder of links (/usr/local/bin) leads to the real one, where the client tools (pg_dump, psql) sit too.
        return found is not null ? new FileInfo(Path.Combine(found, "postgres")).ResolveLinkTarget(returnFinalTarget: true) is { } real ? Path.GetDirectoryName(real.FullName) ?? found : found : throw new EmbeddedPostgresException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found " +
            (string.IsNullOrWhiteSpace(_options.BinDirectory)
                ? "on PATH or under /usr/lib/postgresql/*/bin. "
                : $"in '{_options.BinDirectory}' (EasyConnect:EmbeddedPostgres:BinDirectory). ") +
            "Install them (Debian/Ubuntu: 'apt-get install postgresql'; Fedora/RHEL: 'dnf install postgresql-server'; " +
            "macOS: 'brew install postgresql'), or set EasyConnect:EmbeddedPostgres:BinDirectory to their folder, " +
            "or use an existing server instead by setting the connection string ConnectionStrings__EasyConnect " +
            "(for example 'Host=db.example.com;Database=easyconnect;Username=easyconnect;Password=...').");
    }

    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Creating the embedded PostgreSQL cluster in {Folder}", ClusterDirectory);
        if (Directory.Exists(ClusterDirectory))
        {
            // A folder without PG_VERSION is what an interrupted initdb leaves behind.
            Directory.Delete(ClusterDirectory, recursive: true);
        }

        Directory.CreateDirectory(ClusterDirectory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        RestrictToOwner(PasswordFile);
        var passwordForInitdb = Path.Combine(_root, ".initdb-password");
        await File.WriteAllTextAsync(passwordForInitdb, password, cancellationToken);
        try
        {
            if (IsRoot())
            {
                await GiveToServerUserAsync(_root, cancellationToken);
            }

            await RunAsync("initdb",
                ["-D", ClusterDirectory, "-U", SuperUser, "--pwfile", passwordForInitdb, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C"],
                asServerUser: true, cancellationToken);
        }
        finally
        {
            File.Delete(passwordForInitdb);
        }

        if (IsRoot())
        {
            // The password stays readable by EasyConnect only; the server never needs it again.
            await RunAsync("chown", ["root:root", PasswordFile], asServerUser: false, cancellationToken);
            RestrictToOwner(PasswordFile);
        }
    }

    private async Task RecoverFromCrashAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid) && IsPostgresProcess(pid))
        {
            // A server of an earlier run that was killed before it could stop its cluster.
            _logger.LogWarning("Embedded PostgreSQL from an earlier run is still running (pid {Pid}); stopping it", pid);
            await RunAsync("pg_ctl", ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60"], asServerUser: true, cancellationToken, throwOnError: false);
        }

        if (File.Exists(pidFile))
        {
            // The pid in the file is gone or belongs to an unrelated process now: PostgreSQL would refuse to start.
            _logger.LogWarning("Removing a stale postmaster.pid left by a crashed run");
            File.Delete(pidFile);
        }
    }

    private static bool IsPostgresProcess(int pid)
    {
        // The kernel's name of the process, not its command line: arguments may mention anything.
        var comm = $"/proc/{pid}/comm";
        if (File.Exists(comm))
        {
            return File.ReadAllText(comm).Trim() is "postgres" or "postmaster";
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName is "postgres" or "postmaster";
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var settings = new StringBuilder()
            .Append($"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' ")
            .Append($"-c max_connections={_options.MaxConnections} ");
        if (!_options.Durable)
        {
            settings.Append("-c fsync=off -c synchronous_commit=off -c full_page_writes=off ");
        }

        if (IsRoot())
        {
            await RunAsync("touch", [LogFile], asServerUser: true, cancellationToken);
        }

        await RunAsync("pg_ctl",
            ["start", "-D", ClusterDirectory, "-l", LogFile, "-o", settings.ToString().Trim(), "-w", "-t", _options.StartTimeoutSeconds.ToString()],
            asServerUser: true, cancellationToken);
    }

    private async Task GiveToServerUserAsync(string folder, CancellationToken cancellationToken)
    {
        await RunAsync("chown", ["-R", $"{_options.OsUser}:", folder], asServerUser: false, cancellationToken);
        var probe = await RunAsync("test", ["-w", folder], asServerUser: true, cancellationToken, throwOnError: false);
        if (probe.ExitCode != 0)
        {
            throw new EmbeddedPostgresException(
                $"EasyConnect runs as root, so PostgreSQL runs as the OS user '{_options.OsUser}', but that user cannot reach '{folder}' " +
                "(a parent folder is not readable by others). Set EasyConnect:EmbeddedPostgres:DataDirectory to a folder that user can reach, " +
                "or run EasyConnect as an ordinary user.");
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var path = program is "initdb" or "pg_ctl" ? Path.Combine(_binDirectory!, program) : program;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asServerUser && IsRoot())
        {
            start.FileName = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser";
            foreach (var a in new[] { "-u", _options.OsUser, "--", path })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = path;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // pg_ctl start leaves the server as a child of this process tree; its output goes to the log file.
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout + await stderr).Trim();
        if (throwOnError && process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new EmbeddedPostgresException($"Embedded PostgreSQL: '{program} {arguments.FirstOrDefault()}' failed (exit {process.ExitCode}): {output}\n{log}".Trim());
        }

        return (process.ExitCode, output);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RestrictToOwner(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Environment.UserName resolves the effective uid on Unix, which is what PostgreSQL checks.
    private static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";
}
