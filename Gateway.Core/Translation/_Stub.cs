namespace OllamaGateway.Translation;
internal sealed record TranslationError(string Message, string? Param, string? Code = null);
internal sealed record ChatTranslation(string Model, bool Stream, bool IncludeUsage, byte[] OllamaBody, string? User);
internal static class ChatRequestTranslator { public static (ChatTranslation? Translation, TranslationError? Error) Translate(ReadOnlySpan<byte> j) => throw new NotImplementedException(); }
internal static class ChatResponseTranslator { public static byte[] Translate(ReadOnlySpan<byte> j, string id, long created, string model) => throw new NotImplementedException(); }
internal static class OllamaErrorTranslator { public static string ReadMessage(ReadOnlySpan<byte> b) => throw new NotImplementedException(); }
internal sealed class ChatStreamTranslator { public ChatStreamTranslator(string id, long created, string model, bool includeUsage) {} public bool Failed => false; public bool TranslateLine(ReadOnlySpan<byte> l, System.Buffers.IBufferWriter<byte> o) => true; public void WriteDone(System.Buffers.IBufferWriter<byte> o) {} public void WriteError(System.Buffers.IBufferWriter<byte> o, string m, string t) {} public static string NewId() => ""; }
