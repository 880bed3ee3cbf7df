using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Kiosk.Deploy.Tests.Support;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> Lines =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>For assertion messages: everything the command said.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
}

/// <summary>Runs the shipped scripts and system tools as real processes.</summary>
internal static class Shell
{
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    public static string RepoRoot => RepoRootLazy.Value;

    public static string DeployDir => Path.Combine(RepoRoot, "deploy-rpi");

    public static string Script(string relative) => Path.Combine(DeployDir, relative);

    public static async Task<ShellResult> RunAsync(
        string file,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        // A hung script must fail the test, not the whole run: 60 s is far above any of these commands.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within 60 s");
        }

        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<ShellResult> BashAsync(string script, params string[] args) =>
        RunAsync("/bin/bash", [script, .. args]);

    private static string FindRepoRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("KIOSK_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var baked = typeof(Shell).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (baked is not null && File.Exists(Path.Combine(baked, "Kiosk.sln")))
        {
            return baked;
        }

        throw new InvalidOperationException("cannot find the repository (set KIOSK_REPO_ROOT)");
    }
}
