namespace OllamaGateway.Tests.Cli;

/// <summary>Keys files with every entry form and field, to check that commands keep what they do not touch.</summary>
internal static class SampleKeyFiles
{
    public const string BareKey = "sk-bare-0123456789abcdef";
    public const string BobKey = "sk-bob-0123456789abcdef";
    public const string CarolHash = "sha256:2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90";

    /// <summary>keys[0] a bare string, bob a plain-text object with rights, carol a hash with every field.</summary>
    public const string Mixed = $$"""
        {
          "$schema": "https://example.test/keys.schema.json",
          "keys": [
            "{{BareKey}}",
            { "name": "bob", "key": "{{BobKey}}", "models": ["llama3.2*"], "admin": true, "limits": { "concurrentRequests": 3 } },
            { "name": "carol", "hash": "{{CarolHash}}", "prefix": "sk-ogw-AbCdE", "models": ["qwen3:*", "hf.co/org/*"],
              "admin": false, "expires": "2027-06-30T02:00:00+02:00", "disabled": true, "limits": { "requestsPerMinute": 60, "concurrentRequests": 2 } }
          ]
        }
        """;
}
