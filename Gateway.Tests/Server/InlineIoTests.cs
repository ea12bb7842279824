using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OllamaGateway.Server.Hosting;

namespace OllamaGateway.Tests.Server;

public sealed class InlineIoTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KestrelSchedulesInline_ExactlyWhenTheRuntimeRunsSocketCompletionsInline(bool enabled)
    {
        var builder = WebApplication.CreateSlimBuilder();

        InlineIo.Apply(builder.WebHost, enabled);

        using var app = builder.Build();
        var sockets = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        Assert.Equal(enabled, sockets.UnsafePreferInlineScheduling);
    }
}
