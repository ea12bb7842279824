using System.Buffers;

namespace OllamaGateway.Usage.Metrics.Prometheus;

/// <summary>
/// Characters written on the stack, moving to a pooled array when they outgrow it: a measurement's label set is
/// written here and looked up without allocating a string, so recording to an existing series allocates nothing.
/// </summary>
internal ref struct LabelBuffer
{
    private Span<char> _chars;
    private char[]? _rented;
    private int _length;

    public LabelBuffer(Span<char> initial)
    {
        _chars = initial;
        _rented = null;
        _length = 0;
    }

    public readonly ReadOnlySpan<char> Written => _chars[.._length];

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(string text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars[_length..]);
        _length += text.Length;
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        _chars[.._length].CopyTo(larger);
        Dispose();
        _rented = larger;
        _chars = larger;
    }
}
