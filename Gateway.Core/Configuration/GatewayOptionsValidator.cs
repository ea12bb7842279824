using Microsoft.Extensions.Options;

namespace OllamaGateway.Configuration;

/// <summary>Checks the settings at start-up and reports every failure, each naming its setting.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (!TryParseOllamaUrl(options.OllamaUrl, out _))
        {
            failures.Add($"Gateway:OllamaUrl must be an absolute http or https URL such as http://localhost:11434 (got '{options.OllamaUrl}').");
        }

        if (string.IsNullOrWhiteSpace(options.KeysFile))
        {
            failures.Add("Gateway:KeysFile must name the keys file (default keys.json).");
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add("Gateway:MaxRequestBodyBytes must be a positive number of bytes.");
        }

        if (options.MaxReadBodyBytes <= 0)
        {
            failures.Add("Gateway:MaxReadBodyBytes must be a positive number of bytes.");
        }

        if (options.MaxManagementBodyBytes <= 0)
        {
            failures.Add("Gateway:MaxManagementBodyBytes must be a positive number of bytes, or empty for no cap.");
        }

        if (options.MaxTranslatedResponseBytes <= 0)
        {
            failures.Add("Gateway:MaxTranslatedResponseBytes must be a positive number of bytes.");
        }

        if (options.MaxNumPredict <= 0 || options.MaxNumCtx <= 0 || options.MaxKeepAlive <= TimeSpan.Zero)
        {
            failures.Add("Gateway:MaxNumPredict, Gateway:MaxNumCtx and Gateway:MaxKeepAlive must be positive.");
        }

        if (options.ShutdownDrainPeriod < TimeSpan.Zero)
        {
            failures.Add("Gateway:ShutdownDrainPeriod must not be negative.");
        }

        if (options.FailedAuthPerMinute <= 0)
        {
            failures.Add("Gateway:FailedAuthPerMinute must be a whole number of at least 1.");
        }

        if (options.UpstreamIdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Gateway:UpstreamIdleTimeout must be a positive time span such as 00:02:00.");
        }

        if (options.UpstreamConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add("Gateway:UpstreamConnectTimeout must be a positive time span such as 00:00:10.");
        }

        if (options.UpstreamFirstByteTimeout <= TimeSpan.Zero)
        {
            failures.Add("Gateway:UpstreamFirstByteTimeout must be a positive time span such as 00:10:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// An Ollama URL is an absolute http(s) URL with no query or fragment. A path is kept as a prefix
    /// (Ollama behind another proxy); the trailing slash is normalised away.
    /// </summary>
    internal static bool TryParseOllamaUrl(string? value, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment)
            || !string.IsNullOrEmpty(parsed.UserInfo) || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }

        uri = parsed;
        return true;
    }
}
