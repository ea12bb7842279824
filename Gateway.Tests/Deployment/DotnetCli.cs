namespace OllamaGateway.Tests.Deployment;

/// <summary>The <c>dotnet</c> that runs the tests, for tests that start the gateway or the SDK as a separate process.</summary>
internal static class DotnetCli
{
    /// <summary><c>dotnet test</c> names its own host; otherwise the one on <c>PATH</c>.</summary>
    public static string HostPath { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The configuration this test assembly was built in, so <c>dotnet run --no-build</c> finds the same build.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>
    /// Variables for a nested SDK command: <c>dotnet test</c> hands its MSBuild location to the test host, and a
    /// nested build or run must find its own (a null value removes the variable).
    /// </summary>
    public static Dictionary<string, string?> SdkEnvironment()
    {
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, _ => (string?)null);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        return environment;
    }
}
