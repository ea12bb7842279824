using System.Text.Json;
using OllamaGateway.Emulator.Json;

namespace OllamaGateway.Emulator.Requests;

/// <summary>
/// Reads <c>options</c> like Ollama's <c>api.Options.FromMap</c>: unknown keys ignored, known keys with the
/// wrong JSON type give <c>option "k" must be of type ...</c> (reported later as HTTP 500).
/// </summary>
internal static class OptionsReader
{
    private static readonly HashSet<string> IntKeys =
    [
        "top_k", "num_predict", "seed", "repeat_last_n", "num_keep", "num_ctx", "num_batch", "num_gpu",
        "main_gpu", "num_thread", "draft_num_predict",
    ];

    private static readonly HashSet<string> FloatKeys =
    [
        "temperature", "top_p", "min_p", "typical_p", "repeat_penalty", "presence_penalty", "frequency_penalty",
    ];

    public static SamplingOptions Read(JsonElement request, string structName)
    {
        var options = GoJson.Object(request, "options", structName, "options", "map[string]interface {}");
        if (options is null)
        {
            return SamplingOptions.None;
        }

        long? numPredict = null;
        List<string> stop = [];
        string? error = null;
        foreach (var property in options.Value.EnumerateObject())
        {
            var key = property.Name;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null || error is not null)
            {
                continue;
            }

            if (IntKeys.Contains(key))
            {
                if (value.ValueKind != JsonValueKind.Number)
                {
                    error = $"option \"{key}\" must be of type integer";
                }
                else if (key == "num_predict")
                {
                    numPredict = (long)Math.Truncate(value.GetDouble());
                }
            }
            else if (FloatKeys.Contains(key))
            {
                if (value.ValueKind != JsonValueKind.Number)
                {
                    error = $"option \"{key}\" must be of type float32";
                }
            }
            else if (key == "use_mmap")
            {
                if (value.ValueKind is not JsonValueKind.True and not JsonValueKind.False)
                {
                    error = $"option \"{key}\" must be of type boolean";
                }
            }
            else if (key == "stop")
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    error = "option \"stop\" must be of type array";
                    continue;
                }

                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        error = "option \"stop\" must be of type array of strings";
                        break;
                    }

                    stop.Add(item.GetString()!);
                }
            }
        }

        return new SamplingOptions(numPredict, stop, error);
    }
}
