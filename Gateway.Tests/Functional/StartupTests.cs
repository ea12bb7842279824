using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Functional;

[Collection(ConsoleCollection.Name)]
public sealed class StartupTests
{
    [Theory]
    [InlineData("localhost:11434")]
    [InlineData("0.0.0.0:11434")]
    [InlineData("ftp://localhost:11434")]
    [InlineData("/relative")]
    [InlineData("http://localhost:11434/?x=1")]
    public async Task BadOllamaUrl_StopsStartupNamingTheSetting(string url)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a"]}""");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(url, directory.PathOf("keys.json")));

        Assert.Contains("Gateway:OllamaUrl", error.Message);
    }

    [Theory]
    [InlineData("{\"keys\": \"sk-a\"}")]
    [InlineData("[\"sk-a\"]")]
    [InlineData("{\"keys\": [")]
    public async Task UnparseableKeysFile_StopsStartup(string content)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), content);
        var error = await Assert.ThrowsAsync<KeyFileException>(() => BuildAndStartAsync("http://127.0.0.1:1", directory.PathOf("keys.json")));

        Assert.Contains(directory.PathOf("keys.json"), error.Message);
    }

    [Fact]
    public async Task MissingKeysFile_StopsStartupNamingTheSetting()
    {
        using var directory = new TempDirectory();
        var error = await Assert.ThrowsAsync<KeyFileException>(() => BuildAndStartAsync("http://127.0.0.1:1", directory.PathOf("absent.json")));

        Assert.Contains("Gateway:KeysFile", error.Message);
    }

    [Fact]
    public void ServeWithBadSetting_PrintsOneLineAndExits1()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a"]}""");
        var errors = new StringWriter();
        var original = Console.Error;
        Console.SetError(errors);
        int exitCode;
        try
        {
            exitCode = ServeCommand.Run(["--urls", "http://127.0.0.1:0", "--Gateway:OllamaUrl=not a url", $"--Gateway:KeysFile={directory.PathOf("keys.json")}", "--Logging:LogLevel:Default=None"]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, exitCode);
        var line = Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Gateway:OllamaUrl", line);
    }

    [Fact]
    public async Task FirstRun_CreatesAWorkingKeyAndStoresOnlyItsHash()
    {
        using var directory = new TempDirectory();
        var keysFile = directory.PathOf("keys.json");
        File.WriteAllText(keysFile, """{"keys": []}""");
        var output = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:KeysFile"] = keysFile }).Build();

        var key = FirstRunKey.EnsureKeyExists(configuration, directory.Path, output);

        Assert.NotNull(key);
        Assert.Contains(key, output.ToString());
        var stored = File.ReadAllText(keysFile);
        Assert.DoesNotContain(key, stored);
        Assert.Contains(KeyHash.Compute(key).ToString(), stored);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keysFile));
        }

        Assert.Null(FirstRunKey.EnsureKeyExists(configuration, directory.Path, TextWriter.Null));

        await using var app = GatewayTestHost.BuildServer("http://127.0.0.1:1", keysFile);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        using var response = await client.GetAsync("api/tags");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // authenticated; Ollama is absent here
        await app.StopAsync();
    }

    [Fact]
    public void FirstRun_WithoutAFile_CreatesOne()
    {
        using var directory = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:KeysFile"] = "sub/keys.json" }).Build();

        var key = FirstRunKey.EnsureKeyExists(configuration, directory.Path, TextWriter.Null);

        Assert.NotNull(KeyFileParser.Parse(File.ReadAllBytes(directory.PathOf("sub/keys.json")), "keys.json").Find(key));
    }

    [Fact]
    public void FirstRun_LeavesABrokenFileAlone()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), "{broken");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:KeysFile"] = "keys.json" }).Build();

        Assert.Throws<KeyFileException>(() => { FirstRunKey.EnsureKeyExists(configuration, directory.Path, TextWriter.Null); });
        Assert.Equal("{broken", File.ReadAllText(directory.PathOf("keys.json")));
    }

    private static async Task BuildAndStartAsync(string ollamaUrl, string keysFile)
    {
        await using var app = GatewayTestHost.BuildServer(ollamaUrl, keysFile);
        await app.StartAsync();
        await app.StopAsync();
    }
}
