namespace OllamaGateway.Emulator.Hosting;

/// <summary>Holds "fail the next N requests with this status and error" (thread-safe).</summary>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private int _remaining;
    private int _statusCode;
    private string _message = "";

    public void FailNext(int count, int statusCode, string message)
    {
        lock (_lock)
        {
            _remaining = count;
            _statusCode = statusCode;
            _message = message;
        }
    }

    public bool TryTake(out int statusCode, out string message)
    {
        lock (_lock)
        {
            statusCode = _statusCode;
            message = _message;
            if (_remaining <= 0)
            {
                return false;
            }

            _remaining--;
            return true;
        }
    }
}
