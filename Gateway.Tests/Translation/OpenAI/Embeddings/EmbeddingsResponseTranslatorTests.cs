using System.Buffers.Binary;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Embeddings;
using OllamaGateway.Translation.OpenAI.Embeddings;

// OpenAIContext, the SDK's own reader for its models, is tagged as an evaluation API; these tests use it only
// to prove the official SDK reads our bytes, so an API change there breaks a test, never the gateway.
#pragma warning disable OPENAI001

namespace OllamaGateway.Tests.Translation.OpenAI.Embeddings;

public sealed class EmbeddingsResponseTranslatorTests
{
    private const string TwoVectors =
        """{"model":"nomic-embed-text:latest","embeddings":[[0.1,-0.2,0.3],[1,-1.5,0.000123456789]],"total_duration":1234567,"load_duration":2345,"prompt_eval_count":7}""";

    [Fact]
    public void FloatFormat_WritesOpenAIListShape()
    {
        using var doc = Translate(TwoVectors, "nomic-embed-text", base64: false);
        var root = doc.RootElement;

        Assert.Equal(["object", "data", "model", "usage"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal("nomic-embed-text", root.GetProperty("model").GetString());
        var data = root.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(2, data.Length);
        foreach (var item in data)
        {
            Assert.Equal(["object", "index", "embedding"], item.EnumerateObject().Select(p => p.Name));
            Assert.Equal("embedding", item.GetProperty("object").GetString());
            Assert.Equal(JsonValueKind.Array, item.GetProperty("embedding").ValueKind);
        }

        Assert.Equal([0.1f, -0.2f, 0.3f], Floats(data[0].GetProperty("embedding")));
        Assert.Equal([1f, -1.5f, 0.000123456789f], Floats(data[1].GetProperty("embedding")));
    }

    [Fact]
    public void ModelField_EchoesTheClientsNameNotOllamas()
    {
        using var doc = Translate(TwoVectors, "Nomic-Embed-Text", base64: false);

        Assert.Equal("Nomic-Embed-Text", doc.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Indexes_FollowInputOrder()
    {
        using var doc = Translate("""{"embeddings":[[1],[2],[3],[4]]}""", "m", base64: false);

        var data = doc.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal([1f, 2f, 3f, 4f], data.Select(d => Floats(d.GetProperty("embedding")).Single()));
    }

    [Fact]
    public void FloatFormat_RoundsToFloat32()
    {
        // More digits than a float32 holds: OpenAI's vectors are float32, and so are Ollama's.
        using var doc = Translate("""{"embeddings":[[0.12345678901234567,3.4028234663852886e38,1e-45]]}""", "m", base64: false);

        var values = Floats(doc.RootElement.GetProperty("data")[0].GetProperty("embedding"));
        Assert.Equal([0.12345678901234567f, float.MaxValue, float.Epsilon], values);
        var text = doc.RootElement.GetProperty("data")[0].GetProperty("embedding")[0].GetRawText();
        Assert.Equal(0.12345678901234567f, float.Parse(text, CultureInfo.InvariantCulture));
        Assert.True(text.Length <= 12, $"'{text}' is longer than a float32 needs");
    }

    [Fact]
    public void Base64Format_IsLittleEndianFloat32Bytes()
    {
        // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F, base64 "AACAPw==". -2.0f is 0xC0000000.
        using var doc = Translate("""{"embeddings":[[1.0,-2.0]]}""", "m", base64: true);

        var item = doc.RootElement.GetProperty("data")[0];
        Assert.Equal(["object", "index", "embedding"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Convert.ToBase64String([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]), item.GetProperty("embedding").GetString());
    }

    [Fact]
    public void Base64Format_DecodesToTheSameFloatsAsFloatFormat()
    {
        using var asFloats = Translate(TwoVectors, "m", base64: false);
        using var asBase64 = Translate(TwoVectors, "m", base64: true);

        var floatData = asFloats.RootElement.GetProperty("data");
        var base64Data = asBase64.RootElement.GetProperty("data");
        Assert.Equal(floatData.GetArrayLength(), base64Data.GetArrayLength());
        for (var i = 0; i < floatData.GetArrayLength(); i++)
        {
            Assert.Equal(i, base64Data[i].GetProperty("index").GetInt32());
            var decoded = DecodeLittleEndian(base64Data[i].GetProperty("embedding").GetString()!);
            Assert.Equal(Floats(floatData[i].GetProperty("embedding")), decoded);
        }
    }

    [Fact]
    public void Base64Format_MatchesMemoryMarshalOnThisMachine()
    {
        using var doc = Translate(TwoVectors, "m", base64: true);

        var bytes = Convert.FromBase64String(doc.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.True(BitConverter.IsLittleEndian, "the reference decode below assumes a little-endian test machine");
        Assert.Equal([0.1f, -0.2f, 0.3f], MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    [Fact]
    public void LongVector_SurvivesBase64()
    {
        // 4096 components is 16 KiB of float32, beyond the first pooled buffer, so the buffer must grow intact.
        var expected = Enumerable.Range(0, 4096).Select(i => (float)Math.Sin(i) / 7f).ToArray();
        var json = "{\"embeddings\":[[" + string.Join(",", expected.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "],[0.5]]}";

        using var doc = Translate(json, "m", base64: true);

        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(expected, DecodeLittleEndian(data[0].GetProperty("embedding").GetString()!));
        Assert.Equal([0.5f], DecodeLittleEndian(data[1].GetProperty("embedding").GetString()!));
    }

    [Fact]
    public void OfficialSdk_DecodesBase64ToTheSameVectors()
    {
        var bytes = EmbeddingsResponseTranslator.Translate(Encoding.UTF8.GetBytes(TwoVectors), "nomic-embed-text", base64: true);

        var collection = ModelReaderWriter.Read<OpenAIEmbeddingCollection>(BinaryData.FromBytes(bytes), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;

        Assert.Equal("nomic-embed-text", collection.Model);
        Assert.Equal(7, collection.Usage.InputTokenCount);
        Assert.Equal(7, collection.Usage.TotalTokenCount);
        Assert.Equal(2, collection.Count);
        Assert.Equal([0.1f, -0.2f, 0.3f], collection[0].ToFloats().ToArray());
        Assert.Equal([1f, -1.5f, 0.000123456789f], collection[1].ToFloats().ToArray());
        Assert.Equal(1, collection[1].Index);
    }

    [Fact]
    public void OfficialSdk_ReadsFloatFormat()
    {
        var bytes = EmbeddingsResponseTranslator.Translate(Encoding.UTF8.GetBytes(TwoVectors), "m", base64: false);

        var collection = ModelReaderWriter.Read<OpenAIEmbeddingCollection>(BinaryData.FromBytes(bytes), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;

        Assert.Equal([0.1f, -0.2f, 0.3f], collection[0].ToFloats().ToArray());
    }

    [Fact]
    public void Usage_IsPromptEvalCountForBoth()
    {
        using var doc = Translate(TwoVectors, "m", base64: false);

        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(["prompt_tokens", "total_tokens"], usage.EnumerateObject().Select(p => p.Name));
        Assert.Equal(7, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(7, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void Usage_WhenCountComesBeforeTheVectors_IsStillRead()
    {
        using var doc = Translate("""{"prompt_eval_count":12,"model":"m","embeddings":[[1]]}""", "m", base64: true);

        Assert.Equal(12, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(1, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"model":"m","embeddings":[[1]]}""")]
    [InlineData("""{"model":"m","embeddings":[[1]],"prompt_eval_count":null}""")]
    public void Usage_WhenCountIsMissing_IsZero(string json)
    {
        using var doc = Translate(json, "m", base64: false);

        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(0, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("total_tokens").GetInt64());
    }

    [Theory]
    [InlineData("""{"model":"m","embeddings":[]}""")]
    [InlineData("""{"model":"m","embeddings":null}""")]
    [InlineData("""{"model":"m"}""")]
    public void NoVectors_GiveEmptyDataArray(string json)
    {
        using var doc = Translate(json, "m", base64: true);

        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("data").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void EmptyVector_IsEmptyInBothFormats()
    {
        using var asFloats = Translate("""{"embeddings":[[]]}""", "m", base64: false);
        using var asBase64 = Translate("""{"embeddings":[[]]}""", "m", base64: true);

        Assert.Equal(0, asFloats.RootElement.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
        Assert.Equal("", asBase64.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"embeddings":[1,2]}""")]
    [InlineData("""{"embeddings":[["0.5"]]}""")]
    [InlineData("""{"embeddings":[[null]]}""")]
    [InlineData("""{"embeddings":{"0":[1]}}""")]
    [InlineData("""{"embeddings":[[1e39]]}""")]
    [InlineData("""{"embeddings":[[1]],"embeddings":[[2]]}""")]
    [InlineData("""{"embeddings":[[1]],"prompt_eval_count":"7"}""")]
    [InlineData("""{"embeddings":[[1]],"prompt_eval_count":-1}""")]
    [InlineData("""{"embeddings":[[1]]""")]
    public void MalformedOllamaAnswer_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => EmbeddingsResponseTranslator.Translate(Encoding.UTF8.GetBytes(json), "m", base64: false));
        Assert.ThrowsAny<JsonException>(() => EmbeddingsResponseTranslator.Translate(Encoding.UTF8.GetBytes(json), "m", base64: true));
    }

    [Fact]
    public void NullModel_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EmbeddingsResponseTranslator.Translate("{}"u8, null!, base64: false));
    }

    private static JsonDocument Translate(string ollamaJson, string model, bool base64) =>
        JsonDocument.Parse(EmbeddingsResponseTranslator.Translate(Encoding.UTF8.GetBytes(ollamaJson), model, base64));

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];

    // Decodes explicitly as little-endian, as the SDKs do (Float32Array on x86/ARM, numpy "<f4").
    private static float[] DecodeLittleEndian(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        Assert.Equal(0, bytes.Length % sizeof(float));
        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return values;
    }
}
