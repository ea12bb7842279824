using System.Text;
using OllamaGateway.Translation;
using OllamaGateway.Translation.Ollama;

namespace OllamaGateway.Tests.Translation.Ollama;

public sealed class OllamaUsageScannerTests
{
    private const string Stream = """
        {"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":"Hel"},"done":false}
        {"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":"lo \"eval_count\":99"},"done":false}
        {"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"eval_count":7,"done":true}}}]},"done":false}
        {"model":"llama3.2","created_at":"t","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":5,"prompt_eval_count":26,"prompt_eval_duration":1,"eval_count":3,"eval_duration":2}

        """;

    [Fact]
    public void Stream_InOnePiece_GivesTheFinalLinesCounts()
    {
        var scanner = Scan(Stream, pieceSize: int.MaxValue);

        Assert.True(scanner.Done);
        Assert.True(scanner.HasUsage);
        Assert.Equal(new TokenUsage(26, 3), scanner.Usage);
        Assert.Equal(3, scanner.OutputObjects);
        Assert.False(scanner.IsBroken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    public void Stream_CutIntoPiecesAnywhere_GivesTheSameCounts(int pieceSize)
    {
        var scanner = Scan(Stream, pieceSize);

        Assert.True(scanner.Done);
        Assert.Equal(new TokenUsage(26, 3), scanner.Usage);
        Assert.Equal(3, scanner.OutputObjects);
        Assert.Equal(4, scanner.Objects);
    }

    [Fact]
    public void StreamCutShort_HasNoUsage_AndCountsTheLinesRelayed()
    {
        var scanner = Scan(Stream[..Stream.IndexOf("done_reason", StringComparison.Ordinal)], pieceSize: 5);

        Assert.False(scanner.Done);
        Assert.False(scanner.HasUsage);
        Assert.Equal(3, scanner.OutputObjects);
    }

    [Fact]
    public void ErrorLine_IsSeen()
    {
        var scanner = Scan("""{"message":{"content":"a"},"done":false}""" + "\n" + """{"error":"an error was encountered while running the model"}""" + "\n", 3);

        Assert.True(scanner.SawError);
        Assert.False(scanner.Done);
        Assert.Equal(1, scanner.OutputObjects);
    }

    [Fact]
    public void EmbedAnswer_GivesItsPromptCount()
    {
        var vectors = string.Join(",", Enumerable.Range(0, 3000).Select(i => (i * 0.001).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
        var answer = $$"""{"model":"all-minilm","embeddings":[[{{vectors}}],[{{vectors}}]],"total_duration":1,"load_duration":1,"prompt_eval_count":12}""";

        var scanner = Scan(answer, pieceSize: 4096);

        Assert.True(scanner.HasUsage);
        Assert.Equal(new TokenUsage(12, 0), scanner.Usage);
        Assert.False(scanner.Done);
    }

    [Fact]
    public void NotJson_StopsTheScanWithoutThrowing()
    {
        var scanner = Scan("<html>busy</html>", 4);

        Assert.True(scanner.IsBroken);
        Assert.False(scanner.HasUsage);
    }

    private static OllamaUsageScanner Scan(string text, int pieceSize)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var scanner = new OllamaUsageScanner();
        for (var at = 0; at < bytes.Length; at += pieceSize)
        {
            scanner.Feed(bytes.AsSpan(at, Math.Min(pieceSize, bytes.Length - at)));
        }

        return scanner;
    }
}
