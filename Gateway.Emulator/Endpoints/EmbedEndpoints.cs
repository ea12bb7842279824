using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OllamaGateway.Emulator.Generation;
using OllamaGateway.Emulator.Hosting;
using OllamaGateway.Emulator.Json;
using OllamaGateway.Emulator.Requests;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary><c>POST /api/embed</c> (normalised, batched) and the legacy <c>POST /api/embeddings</c> (raw, one prompt).</summary>
internal static class EmbedEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        routes.MapPost("/api/embed", EndpointRunner.Wrap(context => EmbedAsync(context, state)));
        routes.MapPost("/api/embeddings", EndpointRunner.Wrap(context => EmbeddingsAsync(context, state)));
    }

    private static Task EmbedAsync(HttpContext context, EmulatorState state)
    {
        const string Struct = "EmbedRequest";
        var started = Stopwatch.GetTimestamp();
        string model;
        List<string> inputs = [];
        bool truncate;
        long? dimensions;
        SamplingOptions options;
        using (var document = GoJson.ParseBody(EndpointRunner.Body(context), Struct))
        {
            var root = document.RootElement;
            model = GoJson.String(root, "model", Struct, "model") ?? "";
            truncate = GoJson.Bool(root, "truncate", Struct, "truncate") ?? true;
            dimensions = GoJson.Int(root, "dimensions", Struct, "dimensions");
            GoDuration.Read(root);
            options = OptionsReader.Read(root, Struct);
            var input = GoJson.Field(root, "input");
            switch (input?.ValueKind)
            {
                case null:
                    break;
                case JsonValueKind.String:
                    if (input.Value.GetString() is { Length: > 0 } single)
                    {
                        inputs.Add(single);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in input.Value.EnumerateArray())
                    {
                        inputs.Add(item.ValueKind == JsonValueKind.String
                            ? item.GetString()!
                            : throw new EmulatorRequestException(400, "invalid input type"));
                    }

                    break;
                default:
                    throw new EmulatorRequestException(400, "invalid input type");
            }
        }

        if (model.Length == 0)
        {
            throw new EmulatorRequestException(400, "model is required");
        }

        var found = state.Catalog.Find(model)
            ?? throw new EmulatorRequestException(404, $"model \"{model}\" not found, try pulling it first");
        if (options.Error is not null)
        {
            throw new EmulatorRequestException(500, options.Error);
        }

        var counts = inputs.Select(i => Math.Max(1, PromptCounter.Words(i))).ToList();
        if (!truncate && counts.Any(c => c > found.ContextLength))
        {
            throw new EmulatorRequestException(400, "the input length exceeds the context length");
        }

        state.Catalog.MarkLoaded(found, TimeSpan.FromMinutes(5));
        var dimension = state.Options.EmbeddingDimensions;
        var vectors = inputs.Select(i => EmbeddingGenerator.Normalized(i, dimension, (int?)dimensions)).ToList();
        var promptCount = counts.Sum();
        var elapsedNs = Stopwatch.GetElapsedTime(started).Ticks * 100;
        return JsonOutput.WriteJsonAsync(context.Response, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("embeddings");
            foreach (var vector in vectors)
            {
                w.WriteStartArray();
                foreach (var value in vector)
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            if (vectors.Count > 0)
            {
                w.WriteNumber("total_duration", 1_000_000 + elapsedNs);
                w.WriteNumber("load_duration", 1_000_000);
                w.WriteNumber("prompt_eval_count", promptCount);
            }

            w.WriteEndObject();
        }, context.RequestAborted);
    }

    private static Task EmbeddingsAsync(HttpContext context, EmulatorState state)
    {
        const string Struct = "EmbeddingRequest";
        string model;
        string prompt;
        SamplingOptions options;
        using (var document = GoJson.ParseBody(EndpointRunner.Body(context), Struct))
        {
            var root = document.RootElement;
            model = GoJson.String(root, "model", Struct, "model") ?? "";
            prompt = GoJson.String(root, "prompt", Struct, "prompt") ?? "";
            GoDuration.Read(root);
            options = OptionsReader.Read(root, Struct);
        }

        if (model.Length == 0)
        {
            throw new EmulatorRequestException(400, "model is required");
        }

        var found = state.Catalog.Find(model)
            ?? throw new EmulatorRequestException(404, $"model \"{model}\" not found, try pulling it first");
        if (options.Error is not null)
        {
            throw new EmulatorRequestException(500, options.Error);
        }

        state.Catalog.MarkLoaded(found, TimeSpan.FromMinutes(5));
        var vector = prompt.Length == 0 ? [] : EmbeddingGenerator.Raw(prompt, state.Options.EmbeddingDimensions);
        return JsonOutput.WriteJsonAsync(context.Response, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("embedding");
            foreach (var value in vector)
            {
                w.WriteNumberValue(value);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }, context.RequestAborted);
    }
}
