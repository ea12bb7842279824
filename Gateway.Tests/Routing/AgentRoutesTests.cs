using OllamaGateway.Routing;

namespace OllamaGateway.Tests.Routing;

public sealed class AgentRoutesTests
{
    [Theory]
    [InlineData("POST", "/v1/messages", "AnthropicMessages", "Anthropic")]
    [InlineData("POST", "/v1/messages/count_tokens", "AnthropicCountTokens", "Anthropic")]
    [InlineData("POST", "/v1/responses", "Responses", "OpenAI")]
    public void AgentRoutes_AreTranslatedRows(string method, string path, string kind, string surface)
    {
        var match = GatewayRoutes.Match(method, path);

        Assert.Equal(kind, match.Kind.ToString());
        Assert.Equal(surface, match.Surface.ToString());
        Assert.NotNull(match.Route!.Translator);
        Assert.Equal("/api/chat", match.Route.OllamaPath);
    }

    [Theory]
    [InlineData("GET", "/v1/messages", "MethodNotAllowed", "Anthropic")]
    [InlineData("POST", "/v1/messages/batches", "NotFound", "Anthropic")]
    [InlineData("POST", "/v1/messages/", "NotFound", "Anthropic")]
    [InlineData("POST", "/v1/Messages", "NotFound", "Anthropic")]
    [InlineData("POST", "/v1/messagesx", "NotFound", "OpenAI")]
    [InlineData("GET", "/v1/responses", "MethodNotAllowed", "OpenAI")]
    [InlineData("POST", "/v1/responses/resp_1/cancel", "NotFound", "OpenAI")]
    public void NearMisses_AnswerInTheirAPIsShape(string method, string path, string kind, string surface)
    {
        var match = GatewayRoutes.Match(method, path);

        Assert.Equal(kind, match.Kind.ToString());
        Assert.Equal(surface, match.Surface.ToString());
    }
}
