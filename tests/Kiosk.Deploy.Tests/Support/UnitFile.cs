namespace Kiosk.Deploy.Tests.Support;

/// <summary>A systemd unit read as [Section] Key=Value lines (repeated keys keep every value).</summary>
internal sealed class UnitFile
{
    private readonly List<(string Section, string Key, string Value)> entries = [];

    public UnitFile(string text)
    {
        var section = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1];
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                entries.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
            }
        }
    }

    public IReadOnlyList<string> All(string section, string key) =>
        entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).ToList();

    /// <summary>The value that wins (systemd: the last assignment of a single-valued key).</summary>
    public string? Get(string section, string key) => All(section, key).LastOrDefault();
}
