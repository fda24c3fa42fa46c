using System.Diagnostics;

namespace EasyConnect.Benchmarks.Infrastructure;

/// <summary>What a measured section cost in memory.</summary>
/// <param name="PeakWorkingSet">The process's peak resident memory during the section (the kernel's own peak where it can be reset, sampled otherwise).</param>
/// <param name="KernelPeak">Whether <paramref name="PeakWorkingSet"/> is the kernel's exact peak rather than a sample.</param>
/// <param name="BaselineWorkingSet">Resident memory just before the section.</param>
/// <param name="PeakGcHeap">The largest managed heap seen (live and not yet collected objects).</param>
/// <param name="Allocated">Bytes the process allocated on the managed heap during the section.</param>
internal sealed record MemoryUse(long PeakWorkingSet, bool KernelPeak, long BaselineWorkingSet, long PeakGcHeap, long BaselineGcHeap, long Allocated);

/// <summary>Watches the process's memory over a section of a benchmark.</summary>
internal sealed class MemoryWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly long _baselineWorkingSet;
    private readonly long _baselineHeap;
    private readonly long _allocatedAtStart;
    private readonly bool _kernelPeak;
    private long _peakWorkingSet;
    private long _peakHeap;

    private MemoryWatch()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _baselineWorkingSet = Environment.WorkingSet;
        _baselineHeap = GC.GetTotalMemory(forceFullCollection: false);
        _peakWorkingSet = _baselineWorkingSet;
        _peakHeap = _baselineHeap;
        _kernelPeak = ResetKernelPeak();
        _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
        _sampler = Task.Run(SampleAsync);
    }

    public static MemoryWatch Start() => new();

    public async Task<MemoryUse> StopAsync()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart;
        await _stop.CancelAsync();
        await _sampler;
        Sample();
        var peak = _peakWorkingSet;
        if (_kernelPeak)
        {
            using var self = Process.GetCurrentProcess();
            peak = Math.Max(peak, self.PeakWorkingSet64);
        }

        return new MemoryUse(peak, _kernelPeak, _baselineWorkingSet, _peakHeap, _baselineHeap, allocated);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _sampler;
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        _peakWorkingSet = Math.Max(_peakWorkingSet, Environment.WorkingSet);
        _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Linux resets the process's peak resident size (VmHWM) when "5" is written to clear_refs; elsewhere only sampling is left.</summary>
    private static bool ResetKernelPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
