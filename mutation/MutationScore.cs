// Prints the mutation score per folder from Stryker's JSON reports (mutation/run calls it; `dotnet run --file`).
//   dotnet run --file mutation/MutationScore.cs -- REPORT.json... [--survivors]
// Score = detected / (detected + undetected), as Stryker counts it: killed and timed-out mutants are detected,
// survivors and mutants no test covers are not; compile errors and ignored mutants do not count. Ignored mutants (a
// `// Stryker disable once all : reason` comment on an equivalent mutant) are shown in their own column, and with
// --survivors listed with their reason.
using System.Text.Json;

var survivors = args.Contains("--survivors");
var reports = args.Where(a => a != "--survivors").ToArray();
if (reports.Length == 0)
{
    Console.Error.WriteLine("usage: dotnet run --file mutation/MutationScore.cs -- REPORT.json... [--survivors]");
    return 2;
}

var root = Directory.GetCurrentDirectory();
var folders = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
var undetected = new List<string>();
foreach (var report in reports)
{
    using var document = JsonDocument.Parse(File.ReadAllBytes(report));
    foreach (var file in document.RootElement.GetProperty("files").EnumerateObject())
    {
        var path = Path.GetRelativePath(root, file.Name).Replace('\\', '/');
        var folder = Path.GetDirectoryName(path)!.Replace('\\', '/');
        foreach (var mutant in file.Value.GetProperty("mutants").EnumerateArray())
        {
            var status = mutant.GetProperty("status").GetString();
            // Stryker's own filters ("Removed by ...") are not counted; mutants marked equivalent in the code are.
            var marked = status == "Ignored" && !(mutant.TryGetProperty("statusReason", out var filter) && filter.GetString()!.StartsWith("Removed by", StringComparison.Ordinal));
            var slot = status switch { "Killed" or "Timeout" => 0, "Survived" => 1, "NoCoverage" => 2, "Ignored" when marked => 3, _ => -1 };
            if (slot < 0)
            {
                continue;
            }

            if (!folders.TryGetValue(folder, out var counts))
            {
                folders[folder] = counts = new int[4];
            }

            counts[slot]++;
            if (slot > 0)
            {
                var line = mutant.GetProperty("location").GetProperty("start").GetProperty("line").GetInt32();
                var replacement = mutant.TryGetProperty("replacement", out var r) ? r.GetString() : "";
                var reason = slot == 3 && mutant.TryGetProperty("statusReason", out var why) ? $" ({why.GetString()})" : "";
                undetected.Add($"{path}:{line} {status} {mutant.GetProperty("mutatorName").GetString()}: {replacement}{reason}");
            }
        }
    }
}

static string Score(int detected, int total) =>
    total == 0 ? "n/a" : (100.0 * detected / total).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %";

Console.WriteLine();
Console.WriteLine($"{"folder",-30} {"mutants",8} {"detected",9} {"survived",9} {"no cover",9} {"score",8} {"marked equivalent",18}");
int allDetected = 0, allTotal = 0;
foreach (var (folder, counts) in folders)
{
    var total = counts[0] + counts[1] + counts[2];
    allDetected += counts[0];
    allTotal += total;
    Console.WriteLine($"{folder,-30} {total,8} {counts[0],9} {counts[1],9} {counts[2],9} {Score(counts[0], total),8} {counts[3],18}");
}

Console.WriteLine($"{"all",-30} {allTotal,8} {allDetected,9} {allTotal - allDetected,9} {"",9} {Score(allDetected, allTotal),8}");
if (survivors)
{
    Console.WriteLine();
    undetected.ForEach(Console.WriteLine);
}

return 0;
