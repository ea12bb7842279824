using OllamaGateway.Routing;

namespace OllamaGateway.Tests.Routing;

public sealed class GatewayRoutesTests
{
    [Theory]
    [InlineData("POST", "/v1/chat/completions", "ChatCompletions", "OpenAI")]
    [InlineData("POST", "/api/chat", "NativeInference", "Ollama")]
    [InlineData("POST", "/api/generate", "NativeInference", "Ollama")]
    [InlineData("POST", "/api/embed", "NativeInference", "Ollama")]
    [InlineData("POST", "/api/embeddings", "NativeInference", "Ollama")]
    [InlineData("GET", "/api/tags", "NativeRead", "Ollama")]
    [InlineData("HEAD", "/api/tags", "NativeRead", "Ollama")]
    [InlineData("GET", "/api/ps", "NativeRead", "Ollama")]
    [InlineData("GET", "/api/version", "NativeRead", "Ollama")]
    [InlineData("POST", "/api/show", "NativeRead", "Ollama")]
    [InlineData("GET", "/", "NativeRead", "Ollama")]
    [InlineData("HEAD", "/", "NativeRead", "Ollama")]
    [InlineData("GET", "", "NativeRead", "Ollama")]
    [InlineData("POST", "/api/pull", "Management", "Ollama")]
    [InlineData("POST", "/api/push", "Management", "Ollama")]
    [InlineData("POST", "/api/create", "Management", "Ollama")]
    [InlineData("POST", "/api/copy", "Management", "Ollama")]
    [InlineData("DELETE", "/api/delete", "Management", "Ollama")]
    [InlineData("POST", "/api/blobs/sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90", "Management", "Ollama")]
    [InlineData("HEAD", "/api/blobs/sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90", "Management", "Ollama")]
    [InlineData("GET", "/healthz", "Health", "Ollama")]
    [InlineData("GET", "/readyz", "Readiness", "Ollama")]
    [InlineData("POST", "/v1/embeddings", "Embeddings", "OpenAI")]
    [InlineData("POST", "/v1/completions", "Completions", "OpenAI")]
    [InlineData("GET", "/v1/models", "ModelList", "OpenAI")]
    [InlineData("GET", "/v1/models/llama3.2:latest", "ModelRetrieve", "OpenAI")]
    [InlineData("GET", "/v1/models/alice/model:v1", "ModelRetrieve", "OpenAI")]
    public void KnownRoutes_AreClassified(string method, string path, string kind, string surface)
    {
        var decision = GatewayRoutes.Match(method, path);

        Assert.Equal(kind, decision.Kind.ToString());
        Assert.Equal(surface, decision.Surface.ToString());
    }

    [Theory]
    [InlineData("/api/tags/")]
    [InlineData("//api/tags")]
    [InlineData("/api//tags")]
    [InlineData("/API/TAGS")]
    [InlineData("/Api/Pull")]
    [InlineData("/api/pull/")]
    [InlineData("//api/pull")]
    [InlineData("/api/pull%2F")]
    [InlineData("/api%2Fpull")]
    [InlineData("/api/./pull")]
    [InlineData("/api/chat/../pull")]
    [InlineData("/api/pull;x=1")]
    [InlineData("/api/pull%00")]
    [InlineData("/api/pull ")]
    [InlineData("/api\\pull")]
    [InlineData("/api/blobs/sha256:xyz")]
    [InlineData("/api/blobs/../pull")]
    [InlineData("/api/blobs/")]
    [InlineData("/api/me")]
    [InlineData("/api/signout")]
    [InlineData("/debug/pprof/")]
    [InlineData("/v1/responses/")]
    [InlineData("/v1/models/")]
    [InlineData("/chat/completions")]
    public void PathVariants_AreNotFound(string path)
    {
        Assert.Equal(RouteKind.NotFound, GatewayRoutes.Match("POST", path).Kind);
        Assert.Equal(RouteKind.NotFound, GatewayRoutes.Match("GET", path).Kind);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/V1/chat/completions")]
    [InlineData("/v1")]
    public void OpenAIPaths_UseTheOpenAIErrorShape(string path)
    {
        Assert.Equal(ApiSurface.OpenAI, GatewayRoutes.Match("GET", path).Surface);
    }

    [Fact]
    public void V1LookAlike_UsesTheOllamaShape()
    {
        Assert.Equal(ApiSurface.Ollama, GatewayRoutes.Match("GET", "/v10/x").Surface);
    }

    [Theory]
    [InlineData("GET", "/api/chat", "POST")]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("POST", "/api/tags", "GET, HEAD")]
    [InlineData("GET", "/api/delete", "DELETE")]
    [InlineData("DELETE", "/api/pull", "POST")]
    [InlineData("post", "/api/chat", "POST")]
    public void WrongMethod_IsMethodNotAllowedWithAllow(string method, string path, string allow)
    {
        var decision = GatewayRoutes.Match(method, path);

        Assert.Equal(RouteKind.MethodNotAllowed, decision.Kind);
        Assert.Equal(allow, decision.Allow);
    }

    [Theory]
    [InlineData("/v1/models/llama3.2:latest", "llama3.2:latest")]
    [InlineData("/v1/models/alice/model:v1", "alice/model:v1")]
    [InlineData("/v1/models/alice%2Fmodel%3Av1", "alice/model:v1")]
    public void ModelId_IsTheDecodedRestOfThePath(string path, string id)
    {
        Assert.Equal(id, GatewayRoutes.ModelIdOf(path));
    }

    [Fact]
    public void OnlyHealth_IsAnonymous()
    {
        Assert.True(GatewayRoutes.Match("GET", "/healthz").IsAnonymous);
        Assert.True(GatewayRoutes.Match("GET", "/readyz").IsAnonymous);
        Assert.False(GatewayRoutes.Match("GET", "/api/tags").IsAnonymous);
        Assert.False(GatewayRoutes.Match("GET", "/nope").IsAnonymous);
    }
}
