namespace OllamaGateway.Tests.Deployment;

/// <summary>Where the repository's files are, found from the test assembly's folder.</summary>
internal static class RepositoryLayout
{
    public const string SolutionFileName = "OllamaGateway.sln";

    /// <summary>The folder holding <c>OllamaGateway.sln</c>, walking up from <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFileName} above {AppContext.BaseDirectory}.");
    }
}
