using OllamaGateway.Configuration;

namespace OllamaGateway.Tests.SharedState;

/// <summary>A bad <c>Gateway:Redis</c> setting stops start-up with a line naming it, never echoing a password.</summary>
public sealed class RedisOptionsValidatorTests
{
    [Fact]
    public void Defaults_AndUnset_AreValid()
    {
        Assert.True(new RedisOptionsValidator().Validate(null, new GatewayOptions()).Succeeded);
        Assert.True(new RedisOptionsValidator().Validate(null, new GatewayOptions { Redis = { Configuration = "cache.example:6380,ssl=true,password=hunter2" } }).Succeeded);
    }

    [Theory]
    [InlineData("localhost:6379,sllll=true,password=hunter2", "Gateway:Redis:Configuration")]
    [InlineData(",password=hunter2", "Gateway:Redis:Configuration names no server")]
    public void BadConfiguration_NamesTheSetting_WithoutThePassword(string configuration, string expected)
    {
        var result = new RedisOptionsValidator().Validate(null, new GatewayOptions { Redis = { Configuration = configuration } });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void BadValues_AreEachNamed()
    {
        var options = new GatewayOptions { Redis = { KeyPrefix = "{x}", Timeout = TimeSpan.Zero, LeaseTtl = TimeSpan.FromMilliseconds(100), UsageBufferCapacity = 0 } };

        var message = new RedisOptionsValidator().Validate(null, options).FailureMessage;

        Assert.Contains("Gateway:Redis:KeyPrefix", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Redis:Timeout", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Redis:LeaseTtl", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Redis:UsageBufferCapacity", message, StringComparison.Ordinal);
    }
}
