namespace EasyConnect.Sync.Connections;

/// <summary>Where one check of a connection test stands.</summary>
public enum ConnectionCheckState
{
    /// <summary>Not started yet.</summary>
    Waiting,

    /// <summary>Running now.</summary>
    Running,

    /// <summary>Finished and passed.</summary>
    Passed,

    /// <summary>Finished and failed.</summary>
    Failed,

    /// <summary>Never ran: the test stopped before it.</summary>
    NotRun,
}

/// <summary>One check of a connection test, whichever system it tests.</summary>
public interface IConnectionCheck
{
    /// <summary>What is checked, such as "Authentication".</summary>
    string Name { get; }

    /// <summary>Where the check stands.</summary>
    ConnectionCheckState State { get; }

    /// <summary>The outcome in words, or what is being done.</summary>
    string Message { get; }
}
