using System.Runtime.CompilerServices;
using System.Text;
using Kiosk.Device.Devices.Text;

namespace Kiosk.Device.Tests.Display;

/// <summary>The embedded Unifont subset is what a Pi without the `unifont` package draws with (Devices/Text/README.md):
/// every Chinese character the kiosk can put on its screens must be in it. The texts are collected from the string
/// literals of the sources that build screens, so a new message with a new character fails here, not at the door.</summary>
public sealed class ScreenTextCoverageTests
{
    // The code that builds what the 128×64 display shows: the punch flow, secretary mode, and the texts the
    // rules core hands to the screen (PunchClassifier.ToDisplayText, the verdict texts).
    private static readonly string[] ScreenSources =
    [
        "Kiosk.Device/Punching",
        "Kiosk.Device/Secretary",
        "Kiosk.Core/Schedule/PunchClassifier.cs",
        "Kiosk.Core/Verdicts/VerdictEngine.cs",
    ];

    [Fact]
    public void The_embedded_subset_has_a_glyph_for_every_Chinese_character_in_the_screen_texts()
    {
        var characters = ScreenCharacters();
        using var subset = UnifontHexFont.Subset();

        var missing = characters.Where(c => !subset.TryGetGlyph(c, out _)).ToList();

        Assert.True(characters.Count > 100, $"only {characters.Count} characters found: is the source scan broken?");
        Assert.True(missing.Count == 0, "the embedded subset lacks " + string.Concat(missing.Select(c => char.ConvertFromUtf32(c)))
            + ": add them to Kiosk.Device/Devices/Text/ui-chars.txt and run make-unifont-subset.sh");
    }

    [Fact]
    public void Every_screen_character_is_listed_in_ui_chars_so_the_subset_does_not_rely_on_GB2312_by_luck()
    {
        var listed = File.ReadAllText(Path.Combine(RepositoryRoot(), "Kiosk.Device/Devices/Text/ui-chars.txt"))
            .EnumerateRunes().Select(r => r.Value).ToHashSet();

        var unlisted = ScreenCharacters().Where(c => !listed.Contains(c)).ToList();

        Assert.True(unlisted.Count == 0, "ui-chars.txt lacks " + string.Concat(unlisted.Select(c => char.ConvertFromUtf32(c))));
    }

    [Fact]
    public void The_literal_scanner_reads_strings_and_skips_comments()
    {
        const string source = "// 注释\nvar a = \"签到\"; /* 块 */ var b = $\"{x} 迟到\"; var c = @\"原\"\"因\"; var d = '号';\n"
            + "var e = \"\"\"\n    三引号\n    \"\"\"; /// 文档\n";

        var found = string.Concat(Literals(source));

        Assert.Contains("签到", found, StringComparison.Ordinal);
        Assert.Contains("迟到", found, StringComparison.Ordinal);
        Assert.Contains("原", found, StringComparison.Ordinal);
        Assert.Contains("因", found, StringComparison.Ordinal);
        Assert.Contains("号", found, StringComparison.Ordinal);
        Assert.Contains("三引号", found, StringComparison.Ordinal);
        Assert.DoesNotContain("注", found, StringComparison.Ordinal);
        Assert.DoesNotContain("块", found, StringComparison.Ordinal);
        Assert.DoesNotContain("文档", found, StringComparison.Ordinal);
    }

    /// <summary>CJK ideographs, CJK punctuation and full-width forms (what Unifont draws 16 px wide).</summary>
    private static SortedSet<int> ScreenCharacters()
    {
        var root = RepositoryRoot();
        var files = ScreenSources.SelectMany(s =>
        {
            var path = Path.Combine(root, s);
            return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories) : [path];
        });
        var set = new SortedSet<int>();
        foreach (var file in files)
        {
            foreach (var literal in Literals(File.ReadAllText(file, Encoding.UTF8)))
            {
                foreach (var rune in literal.EnumerateRunes())
                {
                    if (rune.Value is (>= 0x3000 and <= 0x303F) or (>= 0x3400 and <= 0x9FFF) or (>= 0xFF00 and <= 0xFFEF))
                    {
                        set.Add(rune.Value);
                    }
                }
            }
        }

        return set;
    }

    /// <summary>The contents of the string and char literals of a C# source (regular, verbatim, interpolated, raw),
    /// comments skipped. Interpolation holes are kept as text: they hold code, never Chinese, so that is harmless.</summary>
    internal static IEnumerable<string> Literals(string source)
    {
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '/' && At(source, i + 1) == '/')
            {
                i = source.IndexOf('\n', i) is var end and >= 0 ? end : source.Length;
            }
            else if (c == '/' && At(source, i + 1) == '*')
            {
                i = source.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : source.Length;
            }
            else if (c == '"' && At(source, i + 1) == '"' && At(source, i + 2) == '"')
            {
                var quotes = 0;
                while (At(source, i + quotes) == '"')
                {
                    quotes++;
                }

                var close = new string('"', quotes);
                var end = source.IndexOf(close, i + quotes, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end;
                yield return source[(i + quotes)..end];
                i = Math.Min(source.Length, end + quotes);
            }
            else if (c is '"' or '\'')
            {
                var verbatim = i > 0 && (source[i - 1] == '@' || (i > 1 && source[i - 2] == '@' && source[i - 1] == '$'));
                var text = new StringBuilder();
                var j = i + 1;
                while (j < source.Length)
                {
                    if (verbatim && source[j] == '"' && At(source, j + 1) == '"')
                    {
                        text.Append('"');
                        j += 2;
                    }
                    else if (!verbatim && source[j] == '\\')
                    {
                        text.Append(At(source, j + 1));
                        j += 2;
                    }
                    else if (source[j] == c || (!verbatim && source[j] == '\n'))
                    {
                        break;
                    }
                    else
                    {
                        text.Append(source[j++]);
                    }
                }

                yield return text.ToString();
                i = j + 1;
            }
            else
            {
                i++;
            }
        }
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static string RepositoryRoot([CallerFilePath] string here = "")
    {
        // The test binaries may live under an artifacts path outside the tree: walk up from this source file first,
        // then from the working directory (dotnet test runs in the project folder or the output folder).
        foreach (var start in new[] { Path.GetDirectoryName(here), Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "Kiosk.sln")))
                {
                    return dir;
                }
            }
        }

        throw new InvalidOperationException($"Kiosk.sln not found above {here}.");
    }
}
