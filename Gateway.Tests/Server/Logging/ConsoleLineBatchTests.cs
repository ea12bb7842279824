using System.Text;
using OllamaGateway.Server.Logging;

namespace OllamaGateway.Tests.Server.Logging;

/// <summary>
/// The access log's writer: lines gathered and written in batches, each line whole and exactly once, a line written
/// soon without anything else happening, what is left written on dispose, and memory bounded when the output is stuck.
/// </summary>
public sealed class ConsoleLineBatchTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void LinesFromManyThreads_AreEachWrittenWholeAndOnce_InOrderPerThread()
    {
        var output = new GatedStream();
        using (var batch = new ConsoleLineBatch(output, () => output))
        {
            Parallel.For(0, 8, thread =>
            {
                for (var i = 0; i < 500; i++)
                {
                    batch.Add(new StringBuilder($"thread={thread} line={i} {new string('x', i % 97)}\n"));
                }
            });
        }

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8 * 500, lines.Length);
        for (var thread = 0; thread < 8; thread++)
        {
            var prefix = $"thread={thread} ";
            var numbers = lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => int.Parse(line.Split(' ')[1]["line=".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, 500), numbers);
            Assert.All(lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Zip(numbers), pair => Assert.EndsWith(" " + new string('x', pair.Second % 97), pair.First, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task OneLine_IsWrittenWithoutWaitingForMore()
    {
        var output = new GatedStream();
        using var batch = new ConsoleLineBatch(output, () => output);

        batch.Add(new StringBuilder("only line\n"));

        // Written within the linger (100 ms); the bound only stops a broken writer from hanging the test.
        await output.WaitForTextAsync("only line\n", s_timeout);
    }

    [Fact]
    public void LinesThatGatherWhileTheOutputIsBusy_AreWrittenTogether()
    {
        var output = new GatedStream();
        output.Hold();
        using (var batch = new ConsoleLineBatch(output, () => output))
        {
            batch.Add(new StringBuilder("first\n"));
            Assert.True(output.WriteStarted.Wait(s_timeout), "The first line was never written.");

            // The writer is held inside its first write: everything added now is one batch.
            for (var i = 0; i < 1000; i++)
            {
                batch.Add(new StringBuilder($"line {i}\n"));
            }

            output.Release();
        }

        Assert.Equal(1001, output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(output.Writes <= 3, $"1,001 lines took {output.Writes} writes; a batch is one write (two when it outgrows the encoder's buffer).");
    }

    [Fact]
    public async Task AStuckOutput_BoundsWhatWaits_AndTheWaitingLinesAreWrittenWhenItMovesAgain()
    {
        var output = new GatedStream();
        output.Hold();
        var line = new StringBuilder(new string('y', 1023) + "\n");
        var added = 0;
        using (var batch = new ConsoleLineBatch(output, () => output))
        {
            batch.Add(new StringBuilder("first\n"));
            Assert.True(output.WriteStarted.Wait(s_timeout), "The first line was never written.");
            var adder = Task.Factory.StartNew(() =>
            {
                // Twice what may wait: the adder must stop part way while the output is stuck.
                for (var i = 0; i < 2 * ConsoleLineBatch.MaxPending / line.Length; i++)
                {
                    batch.Add(line);
                    Interlocked.Increment(ref added);
                }
            }, TaskCreationOptions.LongRunning);

            // The adder reaches the bound, and however long it is then given, gets no further while nothing is written.
            var bound = ConsoleLineBatch.MaxPending / line.Length;
            var deadline = DateTime.UtcNow + s_timeout;
            while (Volatile.Read(ref added) < bound)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Only {Volatile.Read(ref added)} lines were accepted before the bound.");
                await Task.Delay(10);
            }

            Assert.NotSame(adder, await Task.WhenAny(adder, Task.Delay(TimeSpan.FromMilliseconds(300))));
            Assert.Equal(bound, Volatile.Read(ref added));

            output.Release();
            await adder.WaitAsync(s_timeout);
        }

        Assert.Equal(1 + (2 * ConsoleLineBatch.MaxPending / line.Length), output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    // An output that records what is written, counts writes, and can hold a writer inside Write until opened.
    private sealed class GatedStream : Stream
    {
        private readonly MemoryStream _written = new();
        private readonly ManualResetEventSlim _open = new(initialState: true);

        public ManualResetEventSlim WriteStarted { get; } = new();

        public int Writes { get; private set; }

        public string Text
        {
            get
            {
                lock (_written)
                {
                    return Encoding.UTF8.GetString(_written.ToArray());
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Hold() => _open.Reset();

        public void Release() => _open.Set();

        public async Task WaitForTextAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Text.Contains(text, StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"'{text.Trim()}' was not written within {timeout}.");
                await Task.Delay(10);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            WriteStarted.Set();
            _open.Wait();
            lock (_written)
            {
                Writes++;
                _written.Write(buffer);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
