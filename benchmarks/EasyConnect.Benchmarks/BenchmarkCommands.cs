using System.Globalization;
using System.Runtime.InteropServices;
using EasyConnect.Sync.Persistence.Embedded;

namespace EasyConnect.Benchmarks;

/// <summary>One sub-command of the benchmark runner.</summary>
internal interface IBenchmarkCommand
{
    /// <summary>What is typed after <c>--</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage message.</summary>
    string Summary { get; }

    /// <summary>Whether it measures something (listed as a benchmark) or helps the others (listed as a tool).</summary>
    bool IsBenchmark { get; }

    /// <summary>The options it accepts, for the usage message.</summary>
    IReadOnlyList<BenchmarkOption> Options { get; }

    /// <summary>Runs it; the exit code is 0 unless something went wrong (a slow figure is never an error).</summary>
    Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken);
}

/// <summary>An option of a command: <c>--name value</c>.</summary>
internal sealed record BenchmarkOption(string Name, string Default, string Meaning);

/// <summary>Bad command-line input; the message says what to type instead.</summary>
internal sealed class BenchmarkUsageException(string message) : Exception(message);

/// <summary>The <c>--name value</c> options after the command name, checked against what the command accepts.</summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkArguments(Dictionary<string, string> values) => _values = values;

    public static BenchmarkArguments Parse(IReadOnlyList<string> args, IBenchmarkCommand command)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || command.Options.All(o => o.Name != name))
            {
                throw new BenchmarkUsageException($"'{command.Name}' does not take '{args[i]}'.");
            }

            if (i + 1 >= args.Count)
            {
                throw new BenchmarkUsageException($"--{name} needs a value.");
            }

            values[name] = args[++i];
        }

        return new BenchmarkArguments(values);
    }

    /// <summary>Whether the option was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>One of <paramref name="choices"/> (any case); the first when the option is not given.</summary>
    public string Choice(string name, IReadOnlyList<string> choices)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return choices[0];
        }

        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new BenchmarkUsageException($"--{name} must be one of {string.Join(", ", choices)}, not '{text}'.");
    }

    /// <summary>A number that may have a fraction, such as 0.5.</summary>
    public double Number(string name, double defaultValue, double min, double max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BenchmarkUsageException($"--{name} must be a number from {min:N0} to {max:N0}, not '{text}'.");
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BenchmarkUsageException($"--{name} must be a whole number from {min:N0} to {max:N0}, not '{text}'.");
    }
}

/// <summary>Picks the command named by the first argument and runs it; anything else gets the usage message.</summary>
internal static class BenchmarkCommands
{
    public static async Task<int> RunAsync(IReadOnlyList<IBenchmarkCommand> commands, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            WriteUsage(commands, args.Length == 0 ? error : output);
            return args.Length == 0 ? 2 : 0;
        }

        var command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            await error.WriteLineAsync($"Unknown benchmark '{args[0]}'.");
            await error.WriteLineAsync();
            WriteUsage(commands, error);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        // Ctrl+C and a plain kill both end the run through cancellation, so the database and the sandbox are stopped.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            var arguments = BenchmarkArguments.Parse(args[1..], command);
            return await command.RunAsync(arguments, output, cancellation.Token);
        }
        catch (BenchmarkUsageException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync();
            WriteUsage(commands, error);
            return 2;
        }
        catch (EmbeddedPostgresException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return 130;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
    }

    private static void WriteUsage(IReadOnlyList<IBenchmarkCommand> commands, TextWriter writer)
    {
        writer.WriteLine("Usage: dotnet run -c Release --project benchmarks/EasyConnect.Benchmarks -- <name> [--option value ...]");
        foreach (var (title, group) in new[] { ("Benchmarks", commands.Where(c => c.IsBenchmark)), ("Tools", commands.Where(c => !c.IsBenchmark)) })
        {
            writer.WriteLine();
            writer.WriteLine(title + ":");
            foreach (var command in group)
            {
                writer.WriteLine($"  {command.Name,-10} {command.Summary}");
                foreach (var option in command.Options)
                {
                    writer.WriteLine($"  {"",-10}   --{option.Name,-16} {option.Meaning} (default {option.Default})");
                }
            }
        }
    }
}
