namespace EasyConnect.Sync.Persistence.Embedded;

/// <summary>The embedded PostgreSQL cluster could not be created, started or stopped; the message says what to do.</summary>
public sealed class EmbeddedPostgresException(string message, Exception? inner = null) : Exception(message, inner);
