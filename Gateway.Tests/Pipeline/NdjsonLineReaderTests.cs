using System.Text;
using OllamaGateway.Pipeline;

namespace OllamaGateway.Tests.Pipeline;

public sealed class NdjsonLineReaderTests
{
    /// <summary>A stream that hands out one byte per read, as a slow network might.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }

    private static async Task<(List<string> Lines, NdjsonReadOutcome Outcome)> ReadAllAsync(Stream stream, int maxLine = 1024, int stopAfter = int.MaxValue)
    {
        var lines = new List<string>();
        await using var reader = new NdjsonLineReader(stream, maxLine);
        NdjsonReadOutcome outcome;
        do
        {
            outcome = await reader.ReadAsync(line =>
            {
                lines.Add(Encoding.UTF8.GetString(line));
                return lines.Count >= stopAfter;
            }, CancellationToken.None);
        }
        while (outcome == NdjsonReadOutcome.More);

        return (lines, outcome);
    }

    [Fact]
    public async Task MultiByteCharactersSplitAcrossReads_ArriveWhole()
    {
        var text = "{\"c\":\"héllo 🦙\"}\n{\"c\":\"日本語\"}\n";

        var (lines, outcome) = await ReadAllAsync(new TrickleStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(["{\"c\":\"héllo 🦙\"}", "{\"c\":\"日本語\"}"], lines);
        Assert.Equal(NdjsonReadOutcome.EndOfStream, outcome);
    }

    [Fact]
    public async Task CrLfAndBlankLines_AreHandled()
    {
        var (lines, _) = await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n{\"b\":2}")));

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines);
    }

    [Fact]
    public async Task HandlerSayingFinished_StopsReading()
    {
        var (lines, outcome) = await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes("1\n2\n3\n")), stopAfter: 2);

        Assert.Equal(["1", "2"], lines);
        Assert.Equal(NdjsonReadOutcome.Finished, outcome);
    }

    [Fact]
    public async Task LineLongerThanTheCap_IsReportedNotBuffered()
    {
        var (lines, outcome) = await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 100_000))), maxLine: 1024);

        Assert.Empty(lines);
        Assert.Equal(NdjsonReadOutcome.LineTooLong, outcome);
    }
}
