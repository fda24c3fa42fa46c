namespace EasyConnect.Admin.Components.Integration;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back at once, in the reporter's order; <see cref="Progress{T}"/> would post each report
/// and a late one could land after the test's final result.
/// </summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
