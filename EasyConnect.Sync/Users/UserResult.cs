namespace EasyConnect.Sync.Users;

/// <summary>Outcome of a user operation, with plain-language errors for the page to show.</summary>
public sealed record UserResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    /// <summary>Success.</summary>
    public static UserResult Ok { get; } = new(true, []);

    /// <summary>Failure with the given reasons.</summary>
    public static UserResult Fail(params string[] errors) => new(false, errors);
}
