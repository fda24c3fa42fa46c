namespace EasyConnect.Tests.Support;

/// <summary>
/// The project's shared reference material (the vendors' OpenAPI documents and recorded responses), found as
/// <c>../shared</c> beside the repository root wherever the repository was cloned. A test that needs a file there fails
/// when it is missing: a fidelity check that skips proves nothing.
/// </summary>
internal static class SharedReference
{
    /// <summary>The full path of <paramref name="relativePath"/> under <c>shared/reference</c>; throws when the file is absent.</summary>
    public static string File(string relativePath)
    {
        var root = RepositoryRoot();
        var path = Path.GetFullPath(Path.Combine(root, "..", "shared", "reference", relativePath));
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The shared reference file {relativePath} is not at {path}: shared/ must sit beside the repository (../shared from {root}).", path);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "EasyConnect.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No EasyConnect.sln above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    }
}
