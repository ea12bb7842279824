using OllamaGateway.Validation;

namespace OllamaGateway.Tests.Validation;

public class ImageLimitTests
{
    private static string Images(int count) => "[" + string.Join(",", Enumerable.Repeat("\"aGk=\"", count)) + "]";

    [Fact]
    public void SixteenGenerateImages_Accepted()
    {
        var body = GuardRun.Body(OllamaEndpoint.Generate, $$"""{"model":"m","prompt":"p","images":{{Images(16)}}}""");

        Assert.Equal(16, body["images"]!.AsArray().Count);
        Assert.Equal("aGk=", body["images"]![15]!.GetValue<string>());
    }

    [Fact]
    public void SeventeenGenerateImages_Refused400()
    {
        var error = GuardRun.Refuse(OllamaEndpoint.Generate, $$"""{"model":"m","prompt":"p","images":{{Images(17)}}}""");

        Assert.Contains("at most 16 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagesCountedAcrossChatMessages_Refused400Past16()
    {
        var json = $$"""{"model":"m","messages":[{"role":"user","content":"a","images":{{Images(10)}}},{"role":"assistant","content":"b"},{"role":"user","content":"c","images":{{Images(7)}}}]}""";

        var error = GuardRun.Refuse(OllamaEndpoint.Chat, json);

        Assert.Contains("at most 16 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SixteenImagesAcrossChatMessages_Accepted()
    {
        var json = $$"""{"model":"m","messages":[{"role":"user","content":"a","images":{{Images(10)}}},{"role":"user","content":"c","images":{{Images(6)}},"thinking":null}]}""";

        var body = GuardRun.Body(OllamaEndpoint.Chat, json);

        Assert.Equal(6, body["messages"]![1]!["images"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("Generate", """{"model":"m","prompt":"p","images":"aGk="}""", "'images'")]
    [InlineData("Generate", """{"model":"m","prompt":"p","images":[1]}""", "'images'")]
    [InlineData("Chat", """{"model":"m","messages":[{"role":"user","images":{"a":"aGk="}}]}""", "'messages[0].images'")]
    [InlineData("Chat", """{"model":"m","messages":[{"role":"user","images":[["aGk="]]}]}""", "'messages[0].images'")]
    public void ImagesNotStrings_Refused400(string endpointName, string json, string named)
    {
        var endpoint = Enum.Parse<OllamaEndpoint>(endpointName);

        var error = GuardRun.Refuse(endpoint, json);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagesNull_PassesThrough()
    {
        var body = GuardRun.Body(OllamaEndpoint.Generate, """{"model":"m","prompt":"p","images":null}""");

        Assert.True(body.ContainsKey("images"));
        Assert.Null(body["images"]);
    }
}
