using System.Text.Json;

namespace OllamaGateway.Tests.Infrastructure;

/// <summary>
/// What <c>bicep snapshot</c> predicts a deployment creates: every resource, modules flattened, with parameters,
/// variables and names already evaluated by the ARM template engine. Values that only exist once Azure has created
/// something (a key, a host name) stay as their ARM expressions, for example <c>[listKeys(...)]</c>.
/// </summary>
internal sealed class DeploymentSnapshot
{
    private DeploymentSnapshot(JsonElement root, string json)
    {
        Json = json;
        Resources = [.. root.GetProperty("predictedResources").EnumerateArray()];
        Outputs = root.GetProperty("outputs");
        Diagnostics = [.. root.GetProperty("diagnostics").EnumerateArray()];
    }

    /// <summary>The snapshot file as written, for scans over everything.</summary>
    public string Json { get; }

    public IReadOnlyList<JsonElement> Resources { get; }

    public JsonElement Outputs { get; }

    public IReadOnlyList<JsonElement> Diagnostics { get; }

    /// <summary>The function app's app settings (the site's <c>config/appsettings</c>).</summary>
    public JsonElement AppSettings => Config("appsettings").GetProperty("properties");

    /// <summary>The function app's storage mounts (the site's <c>config/azurestorageaccounts</c>).</summary>
    public JsonElement StorageMounts => Config("azurestorageaccounts").GetProperty("properties");

    public JsonElement Site => Single("Microsoft.Web/sites");

    public static DeploymentSnapshot Parse(string json) => new(JsonDocument.Parse(json).RootElement.Clone(), json);

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public JsonElement Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"Expected one {type}, found {matches.Count}.");
        return matches[0];
    }

    public JsonElement ById(string id) =>
        Resources.Single(resource => string.Equals(resource.GetProperty("id").GetString(), id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The app setting's value, or null when the setting is absent.</summary>
    public string? AppSetting(string name) =>
        AppSettings.TryGetProperty(name, out var value) ? value.GetString() : null;

    private JsonElement Config(string name) =>
        OfType("Microsoft.Web/sites/config").Single(config => config.GetProperty("name").GetString()!.EndsWith("/" + name, StringComparison.Ordinal));
}
