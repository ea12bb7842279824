using System.Collections.Concurrent;
using OllamaGateway.Emulator.Models;
using OllamaGateway.Emulator.Recording;

namespace OllamaGateway.Emulator.Hosting;

/// <summary>Everything one emulator instance shares between its endpoints (no statics).</summary>
internal sealed class EmulatorState(EmulatorOptions options)
{
    public EmulatorOptions Options { get; } = options;

    public ModelCatalog Catalog { get; } = new(options);

    public RequestRecorder Recorder { get; } = new();

    public FaultInjector Faults { get; } = new();

    /// <summary>Digests of blobs uploaded through <c>POST /api/blobs/:digest</c>.</summary>
    public ConcurrentDictionary<string, bool> Blobs { get; } = new(StringComparer.Ordinal);
}
