using System.Text;
using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

/// <summary>
/// The body the guard forwards for pull and push says <c>insecure</c> exactly as the client did (what Ollama acts on is
/// what the guard checked), and nesting is limited to 64 levels wherever it sits: in options, in messages, in a message.
/// </summary>
public sealed class GuardDepthAndInsecureTests
{
    private static readonly RegistryPolicy InsecureAllowed = new(["registry.ollama.ai"], AllowInsecure: true);

    [Theory]
    [InlineData("Pull", "false")]
    [InlineData("Push", "false")]
    [InlineData("Pull", "null")]
    [InlineData("Push", "null")]
    public void InsecureFalseOrNull_IsForwardedAsGiven(string endpointName, string value)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);
        foreach (var registries in new[] { RegistryPolicy.Default, InsecureAllowed })
        {
            var request = GuardRun.Accept(endpoint, $$"""{"model":"m","insecure":{{value}},"stream":false}""", registries: registries);

            Assert.Equal($$"""{"model":"m","insecure":{{value}},"stream":false}""", Encoding.UTF8.GetString(request.Body));
        }
    }

    [Theory]
    [InlineData("Pull")]
    [InlineData("Push")]
    public void InsecureTrue_IsForwardedAsTrue_WhereAllowed(string endpointName)
    {
        var request = GuardRun.Accept(Enum.Parse<OllamaEndpoint>(endpointName), """{"insecure":true,"model":"m"}""", registries: InsecureAllowed);

        Assert.Equal("""{"insecure":true,"model":"m"}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void InsecureOnOtherEndpoints_IsAnOrdinaryFieldCopiedAsItIs()
    {
        var body = GuardRun.Body(OllamaEndpoint.Show, """{"model":"m","insecure":true}""");

        Assert.True(body["insecure"]!.GetValue<bool>());
    }

    public static TheoryData<string, Func<int, string>, int> Places() => new()
    {
        // Levels around the nested value: the body, then its containers; 64 in all are accepted.
        { "Generate", n => """{"model":"m","options":{"custom":""" + Nest(n) + "}}", 2 },
        { "Chat", n => """{"model":"m","options":{"custom":""" + Nest(n) + "}}", 2 },
        { "Chat", n => $$"""{"model":"m","messages":{{Nest(n)}}}""", 1 },
        { "Chat", n => $$"""{"model":"m","messages":[{{Nest(n)}}]}""", 2 },
        { "Chat", n => """{"model":"m","messages":[{"role":"user","content":"hi","extra":""" + Nest(n) + "}]}", 3 },
        { "Chat", n => $$"""{"model":"m","messages":[{"role":"user","content":{{Nest(n)}}}]}""", 3 },
        { "Generate", n => $$"""{"model":"m","prompt":"p","context":{{Nest(n)}}}""", 1 },
    };

    [Theory]
    [MemberData(nameof(Places))]
    public void Nesting_UpTo64LevelsIsForwarded_65IsRefused(string endpointName, Func<int, string> body, int around)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        GuardRun.Accept(endpoint, body(RequestRewriter.MaxDepth - around));
        var error = GuardRun.Refuse(endpoint, body(RequestRewriter.MaxDepth - around + 1));

        Assert.Contains("64 levels", error.Message, StringComparison.Ordinal);
    }

    // n nested arrays around a number.
    private static string Nest(int n) => new string('[', n) + "1" + new string(']', n);
}
