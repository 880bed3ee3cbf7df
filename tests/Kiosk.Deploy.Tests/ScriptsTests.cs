using Kiosk.Deploy.Tests.Support;

namespace Kiosk.Deploy.Tests;

/// <summary>Every shell script of the repository passes shellcheck, and build.sh's archive check catches a
/// build the Pi could not run (issue 7: "shellcheck on every script"; "check it" for the arm64 SQLite).</summary>
public sealed class ScriptsTests : IDisposable
{
    private readonly TempRoot temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Every file tracked in git that is shell (a bash/sh shebang or a shellcheck shell directive), as a path
    /// from the repository root: the installers, scripts/, .ci/run, bench/ and the tools next to the code.</summary>
    public static TheoryData<string> ShellScripts() => new(ShellScriptPaths());

    private static List<string> ShellScriptPaths()
    {
        var data = new List<string>();
        foreach (var relative in TrackedFiles().Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(Shell.RepoRoot, relative);
            if (!File.Exists(file))
            {
                continue; // deleted in the work tree, not yet in the index
            }

            using var reader = new StreamReader(file);
            var first = reader.ReadLine() ?? string.Empty;
            if (first.StartsWith("#!", StringComparison.Ordinal) && (first.Contains("bash", StringComparison.Ordinal) || first.EndsWith("/sh", StringComparison.Ordinal))
                || first.StartsWith("# shellcheck shell=", StringComparison.Ordinal))
            {
                data.Add(relative);
            }
        }

        return data;
    }

    /// <summary>`git ls-files` of the repository (NUL-separated, so no name is quoted or split).</summary>
    private static IEnumerable<string> TrackedFiles()
    {
        var git = Shell.RunAsync("git", ["-C", Shell.RepoRoot, "ls-files", "-z"]).GetAwaiter().GetResult();
        if (git.ExitCode != 0)
        {
            throw new InvalidOperationException("the shellcheck sweep lists the repository's files with git: " + git);
        }

        return git.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void The_scripts_the_product_needs_are_all_found_by_the_shellcheck_sweep()
    {
        var found = ShellScriptPaths().ToHashSet(StringComparer.Ordinal);

        foreach (var required in new[]
                 {
                     "deploy-rpi/build.sh", "deploy-rpi/install", "deploy-rpi/uninstall", "deploy-rpi/lib.sh",
                     "deploy-rpi/centre/install-centre", "deploy-rpi/centre/make-certs", "scripts/test.sh", "scripts/demo.sh",
                     "scripts/lib.sh", ".ci/run",
                 })
        {
            Assert.Contains(required, found);
        }
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public async Task Every_script_passes_shellcheck_with_no_finding(string script)
    {
        // From the repository root: scripts/*.sh name their sources from there (# shellcheck source=scripts/lib.sh),
        // the installers from their own folder (source-path=SCRIPTDIR).
        var result = await Shell.RunAsync("shellcheck", ["--external-sources", "--severity=style", script],
            workingDirectory: Shell.RepoRoot);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task<string> ArchiveAsync(Action<string> fill)
    {
        var stage = temp.Sub("stage/kiosk-9.9.9");
        fill(stage);
        var archive = Path.Combine(temp.Path, "kiosk-9.9.9.tar.gz");
        var tar = await Shell.RunAsync("tar", ["-czf", archive, "-C", Path.Combine(temp.Path, "stage"), "kiosk-9.9.9"]);
        Assert.True(tar.ExitCode == 0, tar.ToString());
        return archive;
    }

    /// <summary>`build.sh --verify` with its own scratch folder, which must be empty again afterwards whether the
    /// archive passed or failed (a failed check used to leave its extracted libraries behind in /tmp).</summary>
    private async Task<ShellResult> VerifyAsync(string archive)
    {
        var scratch = temp.Sub("scratch");
        var result = await Shell.RunAsync("/bin/bash", [Shell.Script("build.sh"), "--verify", archive],
            new Dictionary<string, string> { ["TMPDIR"] = scratch });
        Assert.True(Directory.GetFileSystemEntries(scratch).Length == 0,
            $"build.sh --verify left {string.Join(", ", Directory.GetFileSystemEntries(scratch))} behind ({result})");
        return result;
    }

    /// <summary>A release tree as build.sh lays it out, with stand-ins for the published programs.</summary>
    private static void CompleteTree(string stage, ushort sqliteMachine)
    {
        foreach (var f in new[] { "install", "uninstall", "lib.sh", "systemd/kiosk.service.in", "udev/99-kiosk.rules.in",
                     "config/kiosk.json.in", "centre/install-centre", "centre/make-certs", "centre/kiosk-central.service.in",
                     "doc/README.md", "app/kiosk/kiosk.dll", "app/kiosk/VERSION", "app/central/kiosk-central.dll" })
        {
            var path = Path.Combine(stage, f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }

        TempRoot.WriteElf(Path.Combine(stage, "app/kiosk/runtimes/linux-arm64/native/libe_sqlite3.so"), sqliteMachine);
        TempRoot.WriteElf(Path.Combine(stage, "app/central/runtimes/linux-arm64/native/libe_sqlite3.so"), sqliteMachine);
    }

    [Fact]
    public async Task An_archive_with_the_arm64_sqlite_library_in_both_programs_passes_the_check()
    {
        var archive = await ArchiveAsync(stage => CompleteTree(stage, 0xB7));

        var result = await VerifyAsync(archive);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("linux-arm64 libe_sqlite3.so present in kiosk and centre", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_without_the_arm64_sqlite_library_fails_loudly()
    {
        var archive = await ArchiveAsync(stage =>
        {
            CompleteTree(stage, 0xB7);
            File.Delete(Path.Combine(stage, "app/kiosk/runtimes/linux-arm64/native/libe_sqlite3.so"));
        });

        var result = await VerifyAsync(archive);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MISSING: kiosk-9.9.9/app/kiosk/runtimes/linux-arm64/native/libe_sqlite3.so", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("do not ship it", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_x86_library_in_the_arm64_place_is_caught_by_its_elf_header()
    {
        var archive = await ArchiveAsync(stage => CompleteTree(stage, 0x3E));

        var result = await VerifyAsync(archive);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not an AArch64 ELF library (e_machine 3e00)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_without_the_installer_fails_the_check()
    {
        var archive = await ArchiveAsync(stage =>
        {
            CompleteTree(stage, 0xB7);
            File.Delete(Path.Combine(stage, "install"));
        });

        var result = await VerifyAsync(archive);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MISSING: kiosk-9.9.9/install", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_without_the_operators_guide_the_units_point_at_fails_the_check()
    {
        var archive = await ArchiveAsync(stage =>
        {
            CompleteTree(stage, 0xB7);
            File.Delete(Path.Combine(stage, "doc/README.md"));
        });

        var result = await VerifyAsync(archive);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MISSING: kiosk-9.9.9/doc/README.md", result.Stderr, StringComparison.Ordinal);
    }
}
