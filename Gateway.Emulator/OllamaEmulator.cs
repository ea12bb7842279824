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
    private readonly EmulatorState _state;
    private WebApplication? _app;

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

    /// <summary>Whether the emulator is listening (it is from start until <see cref="StopAsync"/>).</summary>
    public bool IsRunning => _app is not null;

    /// <summary>
    /// Stops listening, as an Ollama that went down: connections to its port are refused. Models, options and recorded
    /// requests are kept for <see cref="RestartAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the stop.</param>
    /// <returns>A task that completes when Kestrel has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        using var stopTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopTimeout.CancelAfter(TimeSpan.FromSeconds(5));
        await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Listens again on the same address after <see cref="StopAsync"/>, with the same models and options.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the emulator serves again.</returns>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            return;
        }

        var address = BaseAddress.ToString().TrimEnd('/');
        var app = EmulatorHost.Build([], _state, builder => builder.WebHost.UseUrls(address));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
    }

    /// <summary>
    /// Loads an installed model, as a request for it would, so that <c>/api/ps</c> lists it (for 5 minutes unless told).
    /// </summary>
    /// <param name="name">The model's name, matched as Ollama matches names.</param>
    /// <param name="keepAlive">How long it stays loaded.</param>
    public void LoadModel(string name, TimeSpan? keepAlive = null)
    {
        var model = _state.Catalog.Find(name) ?? throw new ArgumentException($"The emulator has no model '{name}'.", nameof(name));
        _state.Catalog.MarkLoaded(model, keepAlive ?? TimeSpan.FromMinutes(5));
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
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
