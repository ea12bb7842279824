using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OllamaGateway.Configuration;
using OllamaGateway.Forwarding;
using OllamaGateway.Pipeline;
using OllamaGateway.Routing;
using Yarp.ReverseProxy.Forwarder;

// The CPU cost of choosing an Ollama server per request, one server against three, in one process: what a routed
// request does before it is forwarded (read the pin header, canonicalise the model name, choose by inventory, health,
// loaded models, in-flight and weight, count it in flight) and after (count it out, note the model loaded). With one
// server the request only enters and leaves the in-flight count.
//   dotnet run -c Release --project bench/routing [-- iterations]
var iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
var models = Enumerable.Range(0, 30).Select(i => $"model-{i}:latest").Append("llama3.2:latest").ToArray();

using var one = Create(1);
using var three = Create(3);
var context = new DefaultHttpContext();
context.Request.Method = "POST";
context.Request.Path = "/api/chat";

Console.WriteLine($"routing cost per request, {iterations:N0} requests per run, {Environment.ProcessorCount} CPUs, model on every server, loaded on one");
Console.WriteLine($"{"servers",-8} {"run",4} {"cpu ns/req",11} {"wall ns/req",12} {"alloc B/req",12}");
var results = new Dictionary<int, List<double>> { [1] = [], [3] = [] };
for (var run = 0; run < 4; run++)
{
    foreach (var (count, router) in new[] { (1, one.Router), (3, three.Router) })
    {
        var (cpu, wall, bytes) = await MeasureAsync(router, context, run == 0 ? iterations / 4 : iterations);
        if (run > 0)
        {
            results[count].Add(cpu);
        }

        Console.WriteLine($"{count,-8} {(run == 0 ? "warm" : run.ToString()),4} {cpu,11:F0} {wall,12:F0} {bytes,12:F1}");
    }
}

var median1 = Median(results[1]);
var median3 = Median(results[3]);
Console.WriteLine($"median CPU per request: 1 server {median1:F0} ns, 3 servers {median3:F0} ns; routing among 3 costs {(median3 - median1) / 1000:F3} us more per request (goal <= 5 us: {(median3 / 1000 <= 5 ? "met" : "NOT MET")})");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static async Task<(double CpuNs, double WallNs, double Bytes)> MeasureAsync(UpstreamRouter router, HttpContext context, int iterations)
{
    var route = GatewayRoutes.Match("POST", "/api/chat").Route!;
    var process = Process.GetCurrentProcess();
    GC.Collect();
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    var cpu = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        using var attempt = await router.RouteAsync(context, ApiSurface.Ollama, management: false, "llama3.2");
        router.AfterAnswer(attempt!, route, 200);
    }

    wall.Stop();
    process.Refresh();
    return ((process.TotalProcessorTime - cpu).TotalNanoseconds / iterations, wall.Elapsed.TotalNanoseconds / iterations,
        (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)iterations);
}

Routed Create(int servers)
{
    var options = new UpstreamSetOptions
    {
        Upstreams = servers == 1 ? [] : [.. Enumerable.Range(0, servers).Select(i => new UpstreamOptions { Name = $"gpu-{i}", Url = $"http://127.0.0.1:{11434 + i}", Weight = 1 + i })],
    };
    var set = new UpstreamSet(Options.Create(new GatewayOptions()), Options.Create(options), new ForwarderHttpClientFactory(), NullLoggerFactory.Instance, TimeProvider.System);
    var tags = Encoding.UTF8.GetBytes("{\"models\":[" + string.Join(",", models.Select(m => $$"""{"name":"{{m}}","model":"{{m}}"}""")) + "]}");
    var loaded = Encoding.UTF8.GetBytes("""{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest"}]}""");
    var empty = Encoding.UTF8.GetBytes("""{"models":[]}""");
    for (var i = 0; i < set.All.Count; i++)
    {
        set.All[i].Inventory = UpstreamInventory.Read(tags, i == servers - 1 ? loaded : empty, set.All[i].IsUsedFor);
    }

    var monitor = new UpstreamMonitor(set, TimeProvider.System, NullLogger<UpstreamMonitor>.Instance);
    return new Routed(set, monitor, new UpstreamRouter(set, monitor, NullLogger<UpstreamRouter>.Instance));
}

internal sealed record Routed(UpstreamSet Set, UpstreamMonitor Monitor, UpstreamRouter Router) : IDisposable
{
    public void Dispose()
    {
        Monitor.Dispose();
        Set.Dispose();
    }
}
