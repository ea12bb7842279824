using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OllamaGateway.Auth;
using OllamaGateway.Policy;

namespace OllamaGateway.Configuration;

/// <summary>
/// Checks the upstream settings (<see cref="UpstreamSetOptions"/>) at start-up, one line per failure naming the setting.
/// It runs as a validator of <see cref="GatewayOptions"/>, which is validated on start, so that every bad gateway setting
/// lands in one <see cref="OptionsValidationException"/> (the server prints each failure on its own line) and the two
/// ways of naming Ollama, <c>Gateway:OllamaUrl</c> and <c>Gateway:Upstreams</c>, are checked against each other.
/// </summary>
internal sealed class UpstreamSetValidator(IOptions<UpstreamSetOptions> upstreams, IConfiguration configuration) : IValidateOptions<GatewayOptions>
{
    /// <summary>The setting that names the one Ollama server when no upstream list is configured.</summary>
    public const string OllamaUrlSetting = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.OllamaUrl);

    private const string UpstreamsSetting = GatewayOptions.SectionName + ":" + nameof(UpstreamSetOptions.Upstreams);
    private const string HealthSetting = GatewayOptions.SectionName + ":" + nameof(UpstreamSetOptions.UpstreamHealth);

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var settings = upstreams.Value;
        var failures = new List<string>();
        var configured = 0;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < settings.Upstreams.Length; i++)
        {
            var upstream = settings.Upstreams[i];
            if (upstream is null || upstream.IsBlank)
            {
                continue;
            }

            configured++;
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{UpstreamsSetting}:{i}");
            if (!KeyFileParser.IsValidName(upstream.Name))
            {
                failures.Add($"{prefix}:Name must be 1-64 letters, digits, '.', '_' or '-' (got '{upstream.Name}').");
            }
            else if (!names.Add(upstream.Name))
            {
                failures.Add($"{prefix}:Name '{upstream.Name}' names two upstreams (names are compared ignoring case).");
            }

            if (!GatewayOptionsValidator.TryParseOllamaUrl(upstream.Url, out _))
            {
                failures.Add($"{prefix}:Url must be an absolute http or https URL such as http://gpu-1:11434 (got '{upstream.Url}').");
            }

            if (upstream.Weight is { } weight && (!double.IsFinite(weight) || weight <= 0))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:Weight must be a number above 0 (got {weight})."));
            }

            for (var j = 0; j < upstream.Models.Length; j++)
            {
                if (upstream.Models[j] is not { } pattern || !ModelAccess.IsValidPattern(pattern))
                {
                    failures.Add($"{prefix}:Models:{j} must be a model name or glob such as llama3* or qwen3:* (got '{upstream.Models[j]}').");
                }
            }
        }

        // "Both set" means both configured: Gateway:OllamaUrl has a default, which must not count.
        if (configured > 0 && !string.IsNullOrWhiteSpace(configuration[OllamaUrlSetting]))
        {
            failures.Add($"{OllamaUrlSetting} and {UpstreamsSetting} are both set: list every Ollama server under {UpstreamsSetting} and remove {OllamaUrlSetting}, or keep {OllamaUrlSetting} alone for one server.");
        }

        var health = settings.UpstreamHealth ?? new UpstreamHealthOptions();
        Positive(failures, $"{HealthSetting}:{nameof(UpstreamHealthOptions.ProbeInterval)}", health.ProbeInterval, "00:00:10");
        Positive(failures, $"{HealthSetting}:{nameof(UpstreamHealthOptions.ProbeTimeout)}", health.ProbeTimeout, "00:00:02");
        Positive(failures, $"{HealthSetting}:{nameof(UpstreamHealthOptions.ReactivationPeriod)}", health.ReactivationPeriod, "00:00:30");
        Positive(failures, $"{GatewayOptions.SectionName}:{nameof(UpstreamSetOptions.UpstreamInventoryInterval)}", settings.UpstreamInventoryInterval, "00:00:10");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, TimeSpan value, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting} must be a positive time span such as {example}.");
        }
    }
}
