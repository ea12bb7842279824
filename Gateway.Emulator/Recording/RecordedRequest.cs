using System.Text;

namespace OllamaGateway.Emulator.Recording;

/// <summary>One request as the emulator received it, recorded before it is answered.</summary>
public sealed class RecordedRequest
{
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _statusCode;

    internal RecordedRequest(
        string method, string path, string queryString, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Body = body;
    }

    /// <summary>HTTP method, such as <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Request path, such as <c>/api/chat</c>.</summary>
    public string Path { get; }

    /// <summary>Raw query string including the leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>All request headers (case-insensitive names; repeated values joined with <c>", "</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request body bytes (empty when there was none).</summary>
    public byte[] Body { get; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The response status code, once the response has finished (0 before).</summary>
    public int StatusCode => Volatile.Read(ref _statusCode);

    /// <summary>Whether the client went away before the response finished.</summary>
    public bool WasAborted => _aborted.Task.IsCompleted;

    /// <summary>Completes when the client disconnected before the response finished; never completes otherwise.</summary>
    public Task Aborted => _aborted.Task;

    /// <summary>Completes when the emulator has finished handling the request (normally or after an abort).</summary>
    public Task Completed => _completed.Task;

    internal void MarkAborted() => _aborted.TrySetResult();

    internal void MarkCompleted(int statusCode)
    {
        Volatile.Write(ref _statusCode, statusCode);
        _completed.TrySetResult();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Path}{QueryString}";
}
