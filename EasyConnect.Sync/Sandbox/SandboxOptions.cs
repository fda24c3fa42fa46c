namespace EasyConnect.Sync.Sandbox;

/// <summary>Whether the app serves its simulated PSA and portal APIs under <c>/sandbox/...</c>.</summary>
public sealed class SandboxOptions
{
    /// <summary>Configuration section: <c>EasyConnect:Sandbox</c>.</summary>
    public const string SectionName = "EasyConnect:Sandbox";

    /// <summary>On or off; unset means on in Development and off everywhere else.</summary>
    public bool? Enabled { get; set; }
}
