using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OllamaGateway.Emulator.Hosting;
using OllamaGateway.Emulator.Json;
using OllamaGateway.Emulator.Models;

namespace OllamaGateway.Emulator.Endpoints;

/// <summary>
/// Pull, push, create (NDJSON progress ending in <c>{"status":"success"}</c>), copy, delete and blobs. They
/// change the emulator's catalog so that later tags/show calls see the result.
/// </summary>
internal static partial class ManagementEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        routes.MapPost("/api/pull", EndpointRunner.Wrap(context => ProgressAsync(context, state, "PullRequest", name =>
        [
            "pulling manifest", $"pulling {Digest(name)[..12]}", "verifying sha256 digest", "writing manifest",
        ], add: true)));
        routes.MapPost("/api/push", EndpointRunner.Wrap(context => ProgressAsync(context, state, "PushRequest", name =>
        [
            "retrieving manifest", $"pushing {Digest(name)[..12]}", "pushing manifest",
        ], add: false)));
        routes.MapPost("/api/create", EndpointRunner.Wrap(context => ProgressAsync(context, state, "CreateRequest", name =>
        [
            "gathering model components", $"using existing layer sha256:{Digest(name)}", "writing manifest",
        ], add: true)));
        routes.MapPost("/api/copy", EndpointRunner.Wrap(context => CopyAsync(context, state)));
        routes.MapDelete("/api/delete", EndpointRunner.Wrap(context => DeleteAsync(context, state)));
        routes.MapMethods("/api/blobs/{digest}", ["HEAD"], EndpointRunner.Wrap(context => HeadBlobAsync(context, state)));
        routes.MapPost("/api/blobs/{digest}", EndpointRunner.Wrap(context => PostBlobAsync(context, state)));
    }

    private static async Task ProgressAsync(
        HttpContext context, EmulatorState state, string structName, Func<string, string[]> steps, bool add)
    {
        string name;
        bool stream;
        string? from = null;
        using (var document = GoJson.ParseBody(EndpointRunner.Body(context), structName))
        {
            var root = document.RootElement;
            var model = GoJson.String(root, "model", structName, "model") ?? "";
            var legacy = GoJson.String(root, "name", structName, "name") ?? "";
            stream = GoJson.Bool(root, "stream", structName, "stream") ?? true;
            if (structName == "CreateRequest")
            {
                from = GoJson.String(root, "from", structName, "from");
            }

            name = model.Length > 0 ? model : legacy;
        }

        if (name.Length == 0)
        {
            throw new EmulatorRequestException(400, "model is required");
        }

        if (add)
        {
            var template = (from is null ? null : state.Catalog.Find(from)) ?? state.Catalog.Find(name);
            state.Catalog.AddOrReplace((template ?? new EmulatorModel { Name = name }) with { Name = ModelCatalog.Canonical(name) });
        }

        if (!stream)
        {
            await JsonOutput.WriteJsonAsync(context.Response, 200, WriteSuccess, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        JsonOutput.StartNdjson(context.Response);
        foreach (var step in steps(name))
        {
            await JsonOutput.WriteLineAsync(context.Response, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", step);
                w.WriteEndObject();
            }, context.RequestAborted).ConfigureAwait(false);
        }

        await JsonOutput.WriteLineAsync(context.Response, WriteSuccess, context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteSuccess(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("status", "success");
        w.WriteEndObject();
    }

    private static Task CopyAsync(HttpContext context, EmulatorState state)
    {
        string source;
        string destination;
        using (var document = GoJson.ParseBody(EndpointRunner.Body(context), "CopyRequest"))
        {
            var root = document.RootElement;
            source = GoJson.String(root, "source", "CopyRequest", "source") ?? "";
            destination = GoJson.String(root, "destination", "CopyRequest", "destination") ?? "";
        }

        if (destination.Length == 0)
        {
            throw new EmulatorRequestException(400, $"invalid destination name: \"{destination}\"");
        }

        var found = state.Catalog.Find(source) ?? throw new EmulatorRequestException(404, $"model \"{source}\" not found");
        state.Catalog.AddOrReplace(found with { Name = ModelCatalog.Canonical(destination) });
        return EmptyAsync(context, 200);
    }

    private static Task DeleteAsync(HttpContext context, EmulatorState state)
    {
        string name;
        using (var document = GoJson.ParseBody(EndpointRunner.Body(context), "DeleteRequest"))
        {
            var root = document.RootElement;
            var model = GoJson.String(root, "model", "DeleteRequest", "model") ?? "";
            var legacy = GoJson.String(root, "name", "DeleteRequest", "name") ?? "";
            name = model.Length > 0 ? model : legacy;
        }

        if (name.Length == 0)
        {
            throw new EmulatorRequestException(400, "model is required");
        }

        return state.Catalog.Remove(name)
            ? EmptyAsync(context, 200)
            : throw new EmulatorRequestException(404, $"model '{name}' not found");
    }

    private static Task HeadBlobAsync(HttpContext context, EmulatorState state)
    {
        var digest = CheckDigest(context);
        return EmptyAsync(context, state.Blobs.ContainsKey(digest) ? 200 : 404);
    }

    private static Task PostBlobAsync(HttpContext context, EmulatorState state)
    {
        var digest = CheckDigest(context);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(EndpointRunner.Body(context)));
        if (actual != digest)
        {
            throw new EmulatorRequestException(400, $"digest mismatch, expected \"{digest}\", got \"{actual}\"");
        }

        return EmptyAsync(context, state.Blobs.TryAdd(digest, true) ? 201 : 200);
    }

    private static string CheckDigest(HttpContext context)
    {
        var digest = context.Request.RouteValues["digest"] as string ?? "";
        return DigestPattern().IsMatch(digest)
            ? digest.Replace('-', ':')
            : throw new EmulatorRequestException(400, "invalid digest format");
    }

    private static Task EmptyAsync(HttpContext context, int statusCode)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static string Digest(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ModelCatalog.Canonical(name))));

    [GeneratedRegex("^sha256[:-][0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}
