using System.Globalization;
using Microsoft.Extensions.Hosting;
using OllamaGateway.Server.Certificates;
using OllamaGateway.Configuration;
using Xunit.Abstractions;

namespace OllamaGateway.Tests.Deployment;

/// <summary>
/// deploy/systemd/ollama-gateway.service: runs the published binary as a locked-down service. These checks read the
/// file itself, so they hold on machines without systemd; where systemd-analyze is installed it checks the unit too.
/// </summary>
public sealed class SystemdUnitTests(ITestOutputHelper output)
{
    private const string Service = "Service";
    private const string InstallDirectory = "/opt/ollama-gateway";

    private static readonly string s_unitPath = RepositoryLayout.PathOf("deploy", "systemd", "ollama-gateway.service");

    private static SystemdUnitFile Unit => SystemdUnitFile.Load(s_unitPath);

    [Fact]
    public void ExecStart_RunsThePublishedBinaryFromTheWorkingDirectory()
    {
        var unit = Unit;
        Assert.Equal(InstallDirectory, unit.Last(Service, "WorkingDirectory"));
        var command = unit.Last(Service, "ExecStart")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{InstallDirectory}/{PublishedGateway.ExecutableName}", command[0]);
        Assert.Equal(["serve"], command[1..]);
    }

    [Fact]
    public void Service_RunsAsDedicatedUserWithoutCapabilities()
    {
        var unit = Unit;
        var user = unit.Last(Service, "User");
        Assert.False(string.IsNullOrEmpty(user));
        Assert.NotEqual("root", user);
        Assert.Equal(string.Empty, unit.Last(Service, "CapabilityBoundingSet"));
        Assert.Equal(string.Empty, unit.Last(Service, "AmbientCapabilities"));
        Assert.Equal("0077", unit.Last(Service, "UMask"));
    }

    [Theory]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("PrivateDevices", "yes")]
    [InlineData("ProtectKernelTunables", "yes")]
    [InlineData("ProtectKernelModules", "yes")]
    [InlineData("ProtectKernelLogs", "yes")]
    [InlineData("ProtectControlGroups", "yes")]
    [InlineData("RestrictNamespaces", "yes")]
    [InlineData("LockPersonality", "yes")]
    [InlineData("SystemCallArchitectures", "native")]
    [InlineData("Restart", "on-failure")]
    [InlineData("KillSignal", "SIGTERM")]
    public void Hardening_DirectiveIsSet(string key, string expected) => Assert.Equal(expected, Unit.Last(Service, key));

    [Fact]
    public void RestrictAddressFamilies_AllowsOnlyInternetAndUnixSockets()
    {
        var families = Unit.Last(Service, "RestrictAddressFamilies")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["AF_INET", "AF_INET6", "AF_UNIX"], families.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MemoryDenyWriteExecute_IsOffBecauseTheJitNeedsIt()
    {
        // With it on, the runtime dies with SIGSEGV before Main (tried under an equivalent seccomp filter).
        Assert.NotEqual("yes", Unit.Last(Service, "MemoryDenyWriteExecute"));
        Assert.NotEqual("true", Unit.Last(Service, "MemoryDenyWriteExecute"));
    }

    [Fact]
    public void SystemCallFilter_DoesNotDenyCallsTheRuntimeMakes()
    {
        // The runtime's server GC pins threads (sched_setaffinity) and sets their priority (sched_setscheduler): @resources.
        var denied = Unit.All(Service, "SystemCallFilter").Where(filter => filter.StartsWith('~'));
        Assert.DoesNotContain(denied, filter => filter.Contains("@resources", StringComparison.Ordinal));
    }

    [Fact]
    public void TimeoutStopSec_LeavesTheHostItsShutdownTimeout()
    {
        var stop = ParseSeconds(Unit.Last(Service, "TimeoutStopSec")!);
        Assert.True(stop > new HostOptions().ShutdownTimeout, $"TimeoutStopSec {stop} must exceed the host's shutdown timeout {new HostOptions().ShutdownTimeout}.");
    }

    [Fact]
    public void KeysAndCertificates_AreInWritableDirectoriesOutsideTheProgramDirectory()
    {
        var unit = Unit;
        var writable = unit.All(Service, "ReadWritePaths").SelectMany(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(unit.All(Service, "StateDirectory").Select(name => $"/var/lib/{name}"))
            .ToList();
        var environment = unit.Environment();
        var commented = unit.CommentedOutEnvironment();
        string[] files =
        [
            environment["Gateway__KeysFile"],
            commented["Gateway__Tls__CertificatePath"],
            commented["Gateway__Tls__KeyPath"],
        ];

        foreach (var file in files)
        {
            // Atomic replacement writes a temporary file beside the target: its directory must be writable.
            Assert.StartsWith("/", file, StringComparison.Ordinal);
            var directory = Path.GetDirectoryName(file)!;
            Assert.Contains(writable, path => directory == path || directory.StartsWith(path + "/", StringComparison.Ordinal));
            Assert.False(directory.StartsWith(InstallDirectory, StringComparison.Ordinal), $"{file} should not be in the program directory.");
        }
    }

    [Fact]
    public void EnvironmentSettings_NameRealGatewaySettings()
    {
        var unit = Unit;
        var known = typeof(GatewayOptions).GetProperties().Select(property => $"{GatewayOptions.SectionName}:{property.Name}")
            .Concat([TlsOptions.CertificatePathSetting, TlsOptions.KeyPathSetting, TlsOptions.PasswordSetting,
                TlsOptions.PasswordFileSetting, TlsOptions.HttpsPortSetting, TlsOptions.HttpPortSetting])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = unit.Environment().Keys.Concat(unit.CommentedOutEnvironment().Keys)
            .Where(name => name.StartsWith("Gateway__", StringComparison.Ordinal))
            .ToList();

        Assert.Contains("Gateway__OllamaUrl", names);
        Assert.All(names, name => Assert.Contains(name.Replace("__", ":", StringComparison.Ordinal), known));
    }

    [Fact]
    public async Task SystemdAnalyze_VerifiesTheUnitWhereInstalled()
    {
        // The file-based checks above run everywhere; this adds systemd's own reading where it is available.
        var analyze = CommandRunner.FindOnPath("systemd-analyze");
        if (analyze is null || OperatingSystem.IsWindows())
        {
            output.WriteLine("systemd-analyze is not installed: the unit was checked by the parse-based tests only.");
            return;
        }

        // The binary is not installed here, and verify insists that ExecStart is executable: point it at a stand-in.
        var directory = Path.Combine(Path.GetTempPath(), "ogw-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var standIn = Path.Combine(directory, PublishedGateway.ExecutableName);
            File.WriteAllText(standIn, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var unitCopy = Path.Combine(directory, Path.GetFileName(s_unitPath));
            File.WriteAllText(unitCopy, File.ReadAllText(s_unitPath).Replace(
                $"ExecStart={InstallDirectory}/{PublishedGateway.ExecutableName}", $"ExecStart={standIn}", StringComparison.Ordinal));

            var verify = await CommandRunner.RunAsync(analyze, ["verify", unitCopy], directory, TimeSpan.FromSeconds(60));
            output.WriteLine(verify.Output);
            Assert.True(verify.ExitCode == 0, $"systemd-analyze verify failed:\n{verify.Output}");
            Assert.DoesNotContain("ollama-gateway", verify.Output, StringComparison.Ordinal);

            // `security --offline` (systemd 250+) scores the sandboxing; 1.4 today, "OK" is anything up to 4.9.
            var security = await CommandRunner.RunAsync(analyze, ["security", "--offline=yes", "--no-pager", unitCopy], directory, TimeSpan.FromSeconds(60));
            const string Marker = "Overall exposure level for ollama-gateway.service: ";
            var line = security.Output.Split('\n').FirstOrDefault(l => l.Contains(Marker, StringComparison.Ordinal));
            if (line is null)
            {
                output.WriteLine($"systemd-analyze security --offline gave no score (older systemd?):\n{security.Output}");
                return;
            }

            var score = double.Parse(line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.True(score <= 2.0, $"Exposure {score} is above 2.0:\n{security.Output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static TimeSpan ParseSeconds(string value)
    {
        var number = value.EndsWith('s') ? value[..^1] : value;
        return TimeSpan.FromSeconds(double.Parse(number, CultureInfo.InvariantCulture));
    }
}
