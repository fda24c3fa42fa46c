using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Http;

/// <summary>The timeouts and retry settings every vendor's HTTP pipeline has; a vendor's options class derives from it.</summary>
public abstract class VendorHttpOptions
{
    /// <summary>How long one attempt may take before it is abandoned (and retried when that is safe).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a call may take in all, retries and their waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Retries after the first attempt, for server errors, timeouts and 429.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>
    /// The first wait after a 429 that names no Retry-After (Autotask's "Thread Threshold Exceeded" names none); each further
    /// one doubles, with up to a quarter more at random so throttled calls do not come back together. A vendor that throttles
    /// is busy, not failing: its wait is longer than <see cref="RetryBaseDelay"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ThrottleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry's wait after a failure whose answer has no Retry-After; later waits grow exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}
