using System.Security.Cryptography;

namespace OllamaGateway.Translation.OpenAI;

/// <summary>Tool-call ids for calls that arrive without one (Ollama before v0.12.10 sent none; OpenAI requires one).</summary>
internal static class ToolCallIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary><c>call_</c> and 24 random letters and digits, the shape of OpenAI's own ids.</summary>
    public static string New() => "call_" + RandomNumberGenerator.GetString(Alphabet, 24);
}
