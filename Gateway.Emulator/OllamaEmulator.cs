using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OllamaGateway.Emulator.Hosting;
using OllamaGateway.Emulator.Recording;

namespace OllamaGateway.Emulator;

/// <summary>
/// An in-process Ollama look-alike on <c>http://127.0.0.1:&lt;free port&gt;/</c> that answers the native API as
/// Ollama does and records every request it receives.
/// </summary>
public sealed class OllamaEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private OllamaEmulator(WebApplication app, EmulatorState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The address to send requests to, such as <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The live options; changes apply to requests that arrive afterwards.</summary>
    public EmulatorOptions Options => _state.Options;

    /// <summary>Every request received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Recorder.Snapshot();

    /// <summary>The most recent request, or <see langword="null"/> if none arrived.</summary>
    public RecordedRequest? LastRequest => _state.Recorder.Last();

    /// <summary>Starts an emulator on a free loopback port.</summary>
    /// <param name="options">Behaviour; defaults to a new <see cref="EmulatorOptions"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    public static async Task<OllamaEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var state = new EmulatorState(options ?? new EmulatorOptions());
        var app = EmulatorHost.Build([], state, builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new OllamaEmulator(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Forgets all recorded requests.</summary>
    public void ClearRequests() => _state.Recorder.Clear();

    /// <summary>Waits for a request matching <paramref name="predicate"/> (one already recorded counts).</summary>
    /// <param name="predicate">Which request to wait for.</param>
    /// <param name="timeout">How long to wait before throwing <see cref="TimeoutException"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching request.</returns>
    public Task<RecordedRequest> WaitForRequestAsync(
        Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _state.Recorder.WaitForAsync(predicate, timeout, cancellationToken);
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> <c>/api/*</c> requests fail with <paramref name="statusCode"/> and
    /// <c>{"error": message}</c>. The default is Ollama's full-queue answer (503).
    /// </summary>
    /// <param name="count">How many requests fail; 0 cancels a pending failure.</param>
    /// <param name="statusCode">Status code to answer with.</param>
    /// <param name="message">The <c>error</c> text.</param>
    public void FailNextRequests(int count, int statusCode = 503,
        string message = "server busy, please try again.  maximum pending requests exceeded")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _state.Faults.FailNext(count, statusCode, message);
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when Kestrel has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
