using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OllamaGateway.Configuration;

/// <summary>Checks <c>Gateway:Redis</c> at start-up: a configuration string StackExchange.Redis can read, sane timings.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var redis = options.Redis;
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(redis.Configuration))
        {
            try
            {
                if (ConfigurationOptions.Parse(redis.Configuration).EndPoints.Count == 0)
                {
                    failures.Add("Gateway:Redis:Configuration names no server: give host:port, for example localhost:6379.");
                }
            }
            catch (ArgumentException ex)
            {
                // The message names the option StackExchange.Redis could not read, never its value (it may hold a password).
                failures.Add($"Gateway:Redis:Configuration is not a StackExchange.Redis configuration string ({ex.Message.Split('\n')[0]}).");
            }
        }

        if (string.IsNullOrEmpty(redis.KeyPrefix) || redis.KeyPrefix.IndexOfAny(['{', '}']) >= 0)
        {
            failures.Add("Gateway:Redis:KeyPrefix must be a non-empty prefix without { or } (default ogw:).");
        }

        if (redis.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Gateway:Redis:Timeout must be a positive time span such as 00:00:00.250.");
        }

        if (redis.LeaseTtl < TimeSpan.FromSeconds(1))
        {
            failures.Add("Gateway:Redis:LeaseTtl must be at least one second (default 00:00:30).");
        }

        if (redis.UsageBufferCapacity < 1)
        {
            failures.Add("Gateway:Redis:UsageBufferCapacity must be a whole number of at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
