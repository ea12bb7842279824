using System.Text;
using OllamaGateway.Policy;

namespace OllamaGateway.Tests.Policy;

public sealed class ModelListCloudCheckTests
{
    [Theory]
    [InlineData("""{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest"}]}""", false)]
    [InlineData("""{"models":[{"name":"gpt-oss:120b-cloud","model":"gpt-oss:120b-cloud"}]}""", true)]
    [InlineData("""{"models":[{"name":"kimi:CLOUD"}]}""", true)]
    [InlineData("""{"models":[{"name":"x:Cloud"}]}""", true)]
    [InlineData("""{"models":[{"name":"x:\u0063loud"}]}""", true)]
    [InlineData("""{"models":[{"name":"cloudy-llama"}]}""", true)]
    [InlineData("""{"models":[{"name":"clou"}]}""", false)]
    [InlineData("", false)]
    [InlineData("cloud", true)]
    [InlineData("x:cloud", true)]
    [InlineData("{}c", false)]
    [InlineData("{}clou", false)]
    [InlineData("\\u0063loud", true)]
    public void OnlyAListWithoutAnySpellingOfCloud_IsKnownClean(string json, bool may)
    {
        Assert.Equal(may, ModelListFilter.MayNameCloudModel(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void DefaultRights_FilterACloudModelOut_AndAListWithoutOneStaysAsOllamaWroteIt()
    {
        const string clean = """{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","size":1}]}""";
        const string cloudy = """{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest"},{"name":"gpt-oss:120b-cloud","model":"gpt-oss:120b-cloud"}]}""";

        Assert.DoesNotContain("cloud", Encoding.UTF8.GetString(ModelListFilter.Filter(Encoding.UTF8.GetBytes(cloudy), ModelAccess.All)), StringComparison.Ordinal);
        Assert.False(ModelListFilter.MayNameCloudModel(Encoding.UTF8.GetBytes(clean)));
    }
}
