using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OllamaGateway.Auth;

/// <summary>
/// Finds the key a client presents: <c>Authorization: Bearer</c> (scheme in any case, as RFC 9110 §11.1
/// says), <c>x-api-key</c> (Anthropic-style clients) or <c>api-key</c> (Azure OpenAI clients).
/// Ambiguity is refused: a header sent twice, or two headers carrying different keys, yields no key.
/// </summary>
internal static class CredentialReader
{
    public const string ApiKeyHeader = "api-key";
    public const string XApiKeyHeader = "x-api-key";

    public static CredentialResult Read(IHeaderDictionary headers)
    {
        string? found = null;
        var authorization = headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            if (authorization.Count != 1 || !TryParseBearer(authorization[0], out found))
            {
                return CredentialResult.Malformed;
            }
        }

        foreach (var name in (ReadOnlySpan<string>)[XApiKeyHeader, ApiKeyHeader])
        {
            var values = headers[name];
            if (StringValues.IsNullOrEmpty(values))
            {
                continue;
            }

            var value = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(value) || (found is not null && !string.Equals(found, value, StringComparison.Ordinal)))
            {
                return CredentialResult.Malformed;
            }

            found = value;
        }

        return new CredentialResult(found); // no key found is CredentialResult.Missing
    }

    private static bool TryParseBearer(string? value, out string? key)
    {
        key = null;
        const string Scheme = "Bearer";
        if (value is null || value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || value[Scheme.Length] != ' ')
        {
            return false;
        }

        var token = value.AsSpan(Scheme.Length).Trim();
        if (token.IsEmpty || token.Contains(' '))
        {
            return false;
        }

        key = token.ToString();
        return true;
    }
}
