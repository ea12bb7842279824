using OllamaGateway.Auth;
using OllamaGateway.Configuration;
using OllamaGateway.Server.Keys;

namespace OllamaGateway.Server.Commands;

/// <summary>
/// A first-time user gets a working key without editing JSON: when the keys file is missing or holds no
/// keys, one is made, only its hash is stored, and the key itself is printed this once.
/// A file that exists but cannot be parsed is left alone; start-up then fails and says why.
/// </summary>
internal static class FirstRunKey
{
    public const string KeyName = "default";

    /// <summary>Returns the new key, or null when the file already had keys.</summary>
    public static string? EnsureKeyExists(IConfiguration configuration, string contentRoot, TextWriter output)
    {
        var options = new GatewayOptions();
        configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        if (string.IsNullOrWhiteSpace(options.KeysFile))
        {
            return null;
        }

        var path = Path.GetFullPath(options.KeysFile, contentRoot);
        if (File.Exists(path) && KeyFileParser.Parse(File.ReadAllBytes(path), path).Keys.Count > 0)
        {
            return null;
        }

        var key = ApiKeyGenerator.Create();
        KeyFileWriter.AddHashedKey(path, KeyName, KeyHash.Compute(key));
        output.WriteLine($"""
            No API key was configured, so one was created and its hash stored in {path}.
            Your API key (shown only this once; keep it secret):

                {key}

            Send it as 'Authorization: Bearer <key>'.
            """);
        return key;
    }
}
