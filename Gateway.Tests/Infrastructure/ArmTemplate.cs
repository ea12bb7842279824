using System.Text.Json;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// An ARM template as <c>bicep build</c> writes it, with the templates of its modules (nested deployments) reachable.
/// Handles both shapes of <c>resources</c>: an array, and the object keyed by symbolic name of language version 2.0.
/// </summary>
internal sealed class ArmTemplate(JsonElement root, string path)
{
    public JsonElement Root { get; } = root;

    /// <summary>Where the template sits in the deployment: <c>main</c>, <c>main/function-app</c>, ...</summary>
    public string Path { get; } = path;

    public static ArmTemplate Parse(string json) => new(JsonDocument.Parse(json).RootElement.Clone(), "main");

    /// <summary>This template and every module template under it.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules()
    {
        yield return this;
        foreach (var resource in OwnResources())
        {
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
                && resource.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var template))
            {
                var name = resource.GetProperty("name").GetString();
                foreach (var nested in new ArmTemplate(template, $"{Path}/{name}").SelfAndModules())
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>The outputs this template declares, by name.</summary>
    public IEnumerable<JsonProperty> Outputs() =>
        Root.TryGetProperty("outputs", out var outputs) ? outputs.EnumerateObject() : [];

    /// <summary>The parameters this template declares, by name.</summary>
    public IEnumerable<JsonProperty> Parameters() =>
        Root.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateObject() : [];

    public JsonElement Parameter(string name) => Root.GetProperty("parameters").GetProperty(name);

    /// <summary>The resources this template declares itself (a module is one resource here).</summary>
    public IEnumerable<JsonElement> Resources() => OwnResources();

    private IEnumerable<JsonElement> OwnResources()
    {
        if (!Root.TryGetProperty("resources", out var resources))
        {
            return [];
        }

        return resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray()
            : resources.EnumerateObject().Select(property => property.Value);
    }
}
