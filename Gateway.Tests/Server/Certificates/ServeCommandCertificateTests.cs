using OllamaGateway.Server.Commands;
using OllamaGateway.Tests.Common;

namespace OllamaGateway.Tests.Server.Certificates;

[Collection(ConsoleCollection.Name)]
public sealed class ServeCommandCertificateTests
{
    [Fact]
    public void ServeWithMissingCertificate_PrintsOneLineNamingTheSettingAndExits1()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.PathOf("keys.json"), """{"keys":["sk-a"]}""");
        var errors = new StringWriter();
        var original = Console.Error;
        Console.SetError(errors);
        int exitCode;
        try
        {
            exitCode = ServeCommand.Run([
                "--urls", "https://127.0.0.1:0", $"--Gateway:KeysFile={directory.PathOf("keys.json")}", "--Logging:LogLevel:Default=None",
                $"--Gateway:Tls:CertificatePath={directory.PathOf("absent.crt.pem")}", $"--Gateway:Tls:KeyPath={directory.PathOf("absent.key.pem")}"]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, exitCode);
        var line = Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: Gateway:Tls:CertificatePath: ", line, StringComparison.Ordinal);
    }
}
