using System.Text;

namespace OllamaGateway.Server.Logging;

/// <summary>
/// Lines gathered in memory and written to the output in one write per batch, from one background thread: the first
/// line of a batch wakes the writer, which lets more gather for up to <see cref="Linger"/> (or until
/// <see cref="FlushAt"/> characters wait) and writes them together, like nginx's buffered access log. A line costs a
/// copy, not a system call and a thread wake. Writers block only when <see cref="MaxPending"/> characters wait because
/// the output does not keep up (the console logger's default too). Disposing writes what is left.
/// </summary>
internal sealed class ConsoleLineBatch : IDisposable
{
    /// <summary>The longest a line waits before it is written.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    /// <summary>Characters waiting that make the writer write now rather than at the end of <see cref="Linger"/>.</summary>
    public const int FlushAt = 64 * 1024;

    /// <summary>Characters waiting beyond which a new line waits for the output.</summary>
    public const int MaxPending = 1024 * 1024;

    private readonly object _gate = new();
    private readonly Func<object> _outputLock;
    private readonly StreamWriter _encoder;
    private readonly Thread _thread;
    private StringBuilder _pending = new();
    private StringBuilder _writing = new();
    private bool _stopping;

    /// <param name="output">Where batches go.</param>
    /// <param name="outputLock">
    /// What to lock while a batch is written, so it never interleaves with another writer of the same output (for
    /// standard output, <see cref="Console.Out"/>, which the framework's console logger writes under its own lock).
    /// </param>
    public ConsoleLineBatch(Stream output, Func<object> outputLock)
    {
        _outputLock = outputLock;
        _encoder = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: FlushAt, leaveOpen: true);
        _thread = new Thread(WriteBatches) { IsBackground = true, Name = "Access log writer" };
        _thread.Start();
    }

    /// <summary>Queues text that ends with a line break; it is written whole, never split between batches.</summary>
    public void Add(StringBuilder text)
    {
        lock (_gate)
        {
            while (_pending.Length >= MaxPending && !_stopping)
            {
                Monitor.Wait(_gate);
            }

            var before = _pending.Length;
            _pending.Append(text);
            if (before == 0 || (before < FlushAt && _pending.Length >= FlushAt))
            {
                // The writer waits for the first line of a batch, then for the batch to fill or the linger to pass.
                Monitor.PulseAll(_gate);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        // The writer writes what is left and ends; the bound keeps a stuck output from holding up the process's exit.
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private void WriteBatches()
    {
        while (TakeBatch())
        {
            try
            {
                lock (_outputLock())
                {
                    foreach (var chunk in _writing.GetChunks())
                    {
                        _encoder.Write(chunk.Span);
                    }

                    _encoder.Flush();
                }
            }
            catch (IOException)
            {
                // Nowhere to write to (a closed pipe): the lines are lost, as they would be for the console logger.
            }

            _writing.Clear();
        }

        _encoder.Dispose();
    }

    // Waits for a batch and swaps it out; false when stopping and nothing is left.
    private bool TakeBatch()
    {
        lock (_gate)
        {
            while (_pending.Length == 0)
            {
                if (_stopping)
                {
                    return false;
                }

                Monitor.Wait(_gate);
            }

            var deadline = Environment.TickCount64 + (long)Linger.TotalMilliseconds;
            while (_pending.Length < FlushAt && !_stopping && deadline - Environment.TickCount64 is > 0 and var wait)
            {
                Monitor.Wait(_gate, (int)wait);
            }

            (_pending, _writing) = (_writing, _pending);
            Monitor.PulseAll(_gate);
            return true;
        }
    }
}
