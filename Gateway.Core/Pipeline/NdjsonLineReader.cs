using System.Buffers;
using System.IO.Pipelines;

namespace OllamaGateway.Pipeline;

/// <summary>
/// Splits Ollama's NDJSON stream into whole lines without decoding them, so a multi-byte character
/// split across network reads is never cut (wire pitfall 1). Lines are handed out as spans; a line that
/// spans buffer segments is copied once into a pooled buffer.
/// </summary>
internal sealed class NdjsonLineReader(Stream stream, int maxLineBytes) : IAsyncDisposable
{
    private readonly PipeReader _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
    private byte[] _copy = [];

    public delegate bool LineHandler(ReadOnlySpan<byte> line);

    /// <summary>
    /// Reads what is available and calls <paramref name="onLine"/> for each complete non-empty line until it
    /// returns true (finished). Returns the outcome of this read.
    /// </summary>
    public async ValueTask<NdjsonReadOutcome> ReadAsync(LineHandler onLine, CancellationToken cancellationToken)
    {
        var result = await _reader.ReadAsync(cancellationToken);
        var buffer = result.Buffer;
        try
        {
            while (TryReadLine(ref buffer, out var line))
            {
                if (!line.IsEmpty && onLine(Flatten(line)))
                {
                    return NdjsonReadOutcome.Finished;
                }
            }

            if (buffer.Length > maxLineBytes)
            {
                return NdjsonReadOutcome.LineTooLong;
            }

            if (result.IsCompleted)
            {
                // A last line without its newline still counts.
                if (!buffer.IsEmpty && onLine(Flatten(buffer)))
                {
                    buffer = buffer.Slice(buffer.End);
                    return NdjsonReadOutcome.Finished;
                }

                buffer = buffer.Slice(buffer.End);
                return NdjsonReadOutcome.EndOfStream;
            }

            return NdjsonReadOutcome.More;
        }
        finally
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Waits until more bytes (or the end) are there, consuming nothing: the next <see cref="ReadAsync"/> then returns at
    /// once. Lets the caller write something else of its own (a keep-alive) while Ollama is silent, never at the same
    /// time as a line handler.
    /// </summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var result = await _reader.ReadAsync(cancellationToken);
        _reader.AdvanceTo(result.Buffer.Start);
    }

    public ValueTask DisposeAsync()
    {
        if (_copy.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_copy);
            _copy = [];
        }

        return _reader.CompleteAsync();
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        return true;
    }

    private ReadOnlySpan<byte> Flatten(ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        if (_copy.Length < line.Length)
        {
            if (_copy.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_copy);
            }

            _copy = ArrayPool<byte>.Shared.Rent((int)line.Length);
        }

        line.CopyTo(_copy);
        return _copy.AsSpan(0, (int)line.Length);
    }
}
