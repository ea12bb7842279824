using System.Globalization;
using System.Net.Http.Headers;

namespace OllamaGateway.Tests.Common;

/// <summary>Reads the gateway's <c>GET /metrics</c> as Prometheus would, and single samples out of it.</summary>
internal static class MetricsScrape
{
    /// <summary>Scrapes <c>/metrics</c> with <paramref name="key"/> as the bearer token; fails unless the answer is 200.</summary>
    public static async Task<string> GetAsync(Uri gateway, string key)
    {
        using var client = new HttpClient { BaseAddress = gateway };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>The value of the sample <paramref name="series"/> (name and label block exactly as written), or null when absent.</summary>
    public static double? Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>
    /// Scrapes until <paramref name="ready"/> holds: a request's record is published just after its answer is complete,
    /// so a client can read the whole answer a moment before the request is counted.
    /// </summary>
    public static async Task<string> WaitForAsync(Uri gateway, string key, Func<string, bool> ready, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var exposition = await GetAsync(gateway, key);
            if (ready(exposition))
            {
                return exposition;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The metrics never reached the expected state. Last scrape:\n{exposition}");
            }
        }
    }
}
