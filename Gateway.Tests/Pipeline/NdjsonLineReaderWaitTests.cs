using System.IO.Pipelines;
using System.Text;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Tests.Pipeline;

/// <summary>
/// <see cref="NdjsonLineReader.WaitAsync"/>, which lets the exchange write keep-alives while Ollama is silent: it waits
/// only for new bytes and consumes nothing, so the next read still gets every line whole.
/// </summary>
public sealed class NdjsonLineReaderWaitTests
{
    private static async Task<List<string>> ReadAsync(NdjsonLineReader reader)
    {
        var lines = new List<string>();
        await reader.ReadAsync(line =>
        {
            lines.Add(Encoding.UTF8.GetString(line));
            return false;
        }, CancellationToken.None);
        return lines;
    }

    [Fact]
    public async Task Wait_CompletesOnNewBytes_AndConsumesNothing()
    {
        var pipe = new Pipe();
        await using var reader = new NdjsonLineReader(pipe.Reader.AsStream(), 1024);

        var wait = reader.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":"));
        await wait;

        Assert.Equal(["{\"a\":1}"], await ReadAsync(reader));

        // Only half a line is left: waiting again waits for more, not for what was already seen.
        wait = reader.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("2}\n"));
        await wait;

        Assert.Equal(["{\"b\":2}"], await ReadAsync(reader));
    }

    [Fact]
    public async Task Wait_CompletesWhenTheStreamEnds()
    {
        var pipe = new Pipe();
        await using var reader = new NdjsonLineReader(pipe.Reader.AsStream(), 1024);

        var wait = reader.WaitAsync(CancellationToken.None).AsTask();
        await pipe.Writer.CompleteAsync();
        await wait;

        Assert.Equal(NdjsonReadOutcome.EndOfStream, await reader.ReadAsync(_ => false, CancellationToken.None));
    }
}
