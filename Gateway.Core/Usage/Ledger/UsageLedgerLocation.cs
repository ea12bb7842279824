using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;

namespace OllamaGateway.Usage.Ledger;

/// <summary>
/// Where the ledger is, and whether there is one: <c>Gateway:Usage:Path</c> (default <c>usage.db</c>) resolved against
/// the keys file's folder, and <c>Gateway:Usage:Enabled</c> with the host's default — on for the standalone server, off
/// under Azure Functions, where it may not be turned on.
/// </summary>
public sealed class UsageLedgerLocation
{
    /// <summary>The environment variable the Azure Functions host sets for its workers.</summary>
    public const string FunctionsWorkerRuntime = "FUNCTIONS_WORKER_RUNTIME";

    /// <summary>Reads the location from the gateway's settings.</summary>
    public UsageLedgerLocation(IOptions<GatewayOptions> options, IConfiguration configuration, IHostEnvironment environment)
        : this(options.Value, RunsInFunctionsWorker(configuration), environment.ContentRootPath)
    {
    }

    /// <summary>Reads the location from <paramref name="options"/>, for a host that is (or is not) a Functions worker.</summary>
    public UsageLedgerLocation(GatewayOptions options, bool functionsWorker, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keysFolder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.KeysFile, contentRoot)) ?? contentRoot;
        Path = System.IO.Path.GetFullPath(options.Usage.Path, keysFolder);
        IsFunctionsWorker = functionsWorker;
        Enabled = options.Usage.Enabled ?? !functionsWorker;
    }

    /// <summary>The ledger file.</summary>
    public string Path { get; }

    /// <summary>Whether the ledger is written.</summary>
    public bool Enabled { get; }

    /// <summary>Whether this host is an Azure Functions worker.</summary>
    public bool IsFunctionsWorker { get; }

    /// <summary>Whether <paramref name="configuration"/> is that of an Azure Functions worker.</summary>
    public static bool RunsInFunctionsWorker(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[FunctionsWorkerRuntime]);
}
