using System.Globalization;

namespace EasyConnect.Benchmarks.Infrastructure;

/// <summary>Prints a benchmark's figures as aligned "label  value" lines under headings.</summary>
internal sealed class Report(TextWriter output)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void Heading(string text)
    {
        output.WriteLine();
        output.WriteLine(text);
    }

    public void Line(string label, string value) => output.WriteLine($"  {label,-44} {value}");

    public static string Count(long value) => value.ToString("N0", Invariant);

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.00", Invariant) + " s";

    public static string Rate(double perSecond) => perSecond.ToString("N0", Invariant) + " rows/s";

    public static string Ratio(double value) => value.ToString("0.00", Invariant);

    public static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("N0", Invariant) + " MB";
}
