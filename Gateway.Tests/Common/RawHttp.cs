using System.Net.Sockets;
using System.Text;

namespace OllamaGateway.Tests.Common;

/// <summary>
/// Sends a request exactly as written, byte for byte, so path tricks reach the server un-normalised
/// (HttpClient would clean <c>//</c> and dot segments before sending).
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Response)> SendAsync(Uri baseAddress, string requestHead, string body = "")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = client.GetStream();
        var request = requestHead.Replace("\n", "\r\n", StringComparison.Ordinal) + $"Host: {baseAddress.Authority}\r\nConnection: close\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }

    /// <summary>Sends <paramref name="raw"/> exactly (use \r\n yourself) and returns the status line's code and the whole answer.</summary>
    public static async Task<(int Status, string Response)> SendExactAsync(Uri baseAddress, string raw)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(raw));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }

    /// <summary>
    /// Sends <paramref name="raw"/> while reading the answer at the same time, and tolerates the server closing the
    /// connection before it has read everything (as it should after refusing an oversized or malformed body).
    /// </summary>
    public static async Task<(int Status, string Response)> SendTolerantAsync(Uri baseAddress, byte[] raw)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = client.GetStream();
        var writing = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(raw);
            }
            catch (IOException)
            {
                // The server answered and closed while the body was still being sent.
            }
        });
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string response;
        try
        {
            response = await reader.ReadToEndAsync(timeout.Token);
        }
        catch (IOException) when (reader.BaseStream is not null)
        {
            response = string.Empty;
        }

        await writing;
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }
}
