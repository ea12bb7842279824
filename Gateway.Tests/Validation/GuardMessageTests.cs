using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

/// <summary>What a client reads when the guard refuses: the field (with its path) and what to send instead.</summary>
public sealed class GuardMessageTests
{
    [Theory]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"model": "ftp://models.example/ns/m"}""", 403, "Field 'model' uses a scheme this gateway does not allow; only https:// is accepted.")]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"model": "://registry.ollama.ai/library/m"}""", 403, "Field 'model' uses a scheme this gateway does not allow; only https:// is accepted.")]
    [InlineData(nameof(OllamaEndpoint.Push), """{"name": "ftp://models.example/ns/m"}""", 403, "Field 'name' uses a scheme this gateway does not allow; only https:// is accepted.")]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"name": "evil.example/ns/m"}""", 403, "Field 'name' names registry 'evil.example', which this gateway does not allow.")]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"model": "a/b/c/d"}""", 400, "Invalid value for 'model': a model name must be [https://]host/namespace/model[:tag], namespace/model[:tag] or model[:tag].")]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"model": "/library/m"}""", 400, "Invalid value for 'model': the registry host must be a non-empty ASCII host name.")]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"model": "llama3.2", "insecure": true}""", 403, "Field 'insecure' asks for an insecure registry connection, which this gateway does not allow.")]
    [InlineData(nameof(OllamaEndpoint.Pull), """{"model": "llama3.2", "insecure": "yes"}""", 400, "Invalid type for 'insecure': expected a boolean.")]
    [InlineData(nameof(OllamaEndpoint.Create), """{"model": "m", "path": "/etc/passwd"}""", 400, "Field 'path' is not allowed: the deprecated 'path' and 'modelfile' fields let a client read server files or name any registry; use 'from' or 'files'.")]
    [InlineData(nameof(OllamaEndpoint.Chat), """{"model": 5}""", 400, "Invalid type for 'model': expected a non-empty string.")]
    [InlineData(nameof(OllamaEndpoint.Chat), """{"model": "m", "messages": [{"role": "user", "images": "aGk="}]}""", 400, "Invalid type for 'messages[0].images': expected an array of base64 strings.")]
    [InlineData(nameof(OllamaEndpoint.Chat), """{"model": "m", "messages": [{"role": "user"}, {"role": "user", "images": [1]}]}""", 400, "Invalid type for 'messages[1].images': expected an array of base64 strings.")]
    [InlineData(nameof(OllamaEndpoint.Chat), """{"model": "m", "options": {"temperature": 1e400}}""", 400, "Invalid value for 'options.temperature': the number is out of range.")]
    public void Refusal_SaysWhichFieldAndWhy(string endpoint, string json, int status, string message)
    {
        Assert.Equal(message, GuardRun.Refuse(Enum.Parse<OllamaEndpoint>(endpoint), json, status).Message);
    }

    [Theory]
    [InlineData("""{"model": "m", "messages": {"a": 1, "A": 2}}""", "'messages.A'")] // not an array: Ollama's 400, but no ambiguity first
    [InlineData("""{"model": "m", "format": {"anyOf": [{}, {"a": 1, "A": 2}]}}""", "'format.anyOf[1].A'")]
    [InlineData("""{"model": "m", "tools": [{"type": "function"}, [{"x": 1, "X": 2}]]}""", "'tools[1][0].X'")]
    public void AmbiguousKeysDeepInside_AreNamedByTheirPath(string json, string path)
    {
        Assert.StartsWith($"Duplicate key {path}", GuardRun.Refuse(OllamaEndpoint.Chat, json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFrom_IsForwardedEmpty_WhichOllamaTakesAsAbsent()
    {
        var body = GuardRun.Body(OllamaEndpoint.Create, """{"model": "mine", "from": "", "files": {"model.gguf": "sha256:00"}}""");

        Assert.Equal(string.Empty, body["from"]!.GetValue<string>());
    }

    [Fact]
    public void MessagesThatAreNotAnArray_AreLeftForOllamaToRefuse()
    {
        Assert.Equal("hello", GuardRun.Body(OllamaEndpoint.Chat, """{"model": "m", "messages": "hello"}""")["messages"]!.GetValue<string>());
        Assert.Null(GuardRun.Body(OllamaEndpoint.Chat, """{"model": "m", "messages": null}""")["messages"]);
    }

    [Fact]
    public void SettingsWithoutAnAllowList_AllowTheDefaultRegistry_AndAListReplacesIt()
    {
        var defaults = new RequestGuardSettings(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { AllowedRegistries = [] }));
        var own = new RequestGuardSettings(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { AllowedRegistries = ["models.internal"] }));

        Assert.Null(defaults.Check(OllamaEndpoint.Pull, """{"model": "llama3.2"}"""u8).Error);
        Assert.Equal(403, own.Check(OllamaEndpoint.Pull, """{"model": "llama3.2"}"""u8).Error?.Status);
        Assert.Null(own.Check(OllamaEndpoint.Pull, """{"model": "models.internal/team/m"}"""u8).Error);
    }

    [Theory]
    [InlineData(0, 32768, 1800)]
    [InlineData(8192, 0, 1800)]
    [InlineData(8192, 32768, 0)]
    public void CapsThatWouldRefuseOrUncapEverything_AreAProgrammingError(int maxNumPredict, int maxNumCtx, int maxKeepAliveSeconds)
    {
        var caps = new RequestCaps(maxNumPredict, maxNumCtx, TimeSpan.FromSeconds(maxKeepAliveSeconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => OllamaRequestGuard.Check(OllamaEndpoint.Chat, """{"model":"m"}"""u8, caps, RegistryPolicy.Default));
    }

    [Fact]
    public void MissingSettingsOrAnUnknownEndpoint_AreAProgrammingError()
    {
        Assert.Throws<ArgumentNullException>(() => OllamaRequestGuard.Check(OllamaEndpoint.Chat, "{}"u8, null!, RegistryPolicy.Default));
        Assert.Throws<ArgumentNullException>(() => OllamaRequestGuard.Check(OllamaEndpoint.Chat, "{}"u8, RequestCaps.Default, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => OllamaRequestGuard.Check((OllamaEndpoint)999, "{}"u8, RequestCaps.Default, RegistryPolicy.Default));
    }
}
