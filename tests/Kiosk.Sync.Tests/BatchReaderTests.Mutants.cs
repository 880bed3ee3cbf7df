using System.Globalization;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Tests;

/// <summary>The mutants BatchReaderTests gives to both readers: edits of the payload's tree member by member, edits of
/// its text, encoding damage and random byte damage.</summary>
public sealed partial class BatchReaderTests
{
    /// <summary>Values tried in place of a member of this name, beyond the ones tried for every member of its type.</summary>
    private static readonly Dictionary<string, string[]> Special = new(StringComparer.Ordinal)
    {
        ["method"] = ["\"card\"", "\"CARD\"", "1", "\"Card, Finger\"", "\"Pin\"", "\" Card\"", "\"2\"", "\"\\u0043ard\"", "\"cardAndFinger\"", "\"card_and_finger\"", "\"Nope\""],
        ["clock"] = ["\"synchronised\"", "\"UNTRUSTED\"", "0", "\"TrustedRtc\"", "\"CentreTime, Untrusted\"", "\"1\"", "\"\\u0055ntrusted\"", "\"Nope\""],
        ["kind"] = ["\"punchx\"", "\"Punch\"", "\"PUNCH\"", "\"\"", "\"\\u0070unch\"", "\"punch\"", "\"unknown_card\"", "\"excuse\"", "\"chain_restarted\""],
        ["at"] = ["\"2026-03-02T08:00:00Z\"", "\"2026-03-02\"", "\"2026-03-02T08:00:00.1234567+08:00\"", "\"2026-03-02T08:00:00.12345678+08:00\"",
            "\"2026-03-02 08:00:00+08:00\"", "\"2026-03-02T08:00+08:00\"", "\"2026-03-02T24:00:00+08:00\"", "\"2026-03-02T08:00:00+14:01\"", "\"x\"",
            "\"\\u0032026-03-02T08:00:00+08:00\""],
        ["fingerSlot"] = ["3.0", "3e0", "-3", "-0", "2147483647", "2147483648", "-2147483649", "\"3\"", "true", "01", "+1"],
        ["sequence"] = ["0", "-1", "9223372036854775807", "9223372036854775808", "1.5", "1e0", "01"],
        ["schemaVersion"] = ["2", "0", "1.0", "-2147483648", "2147483648", "1E0", "-1"],
        ["monotonicMs"] = ["0", "-1", "1.5", "9223372036854775808", "-9223372036854775808", "-9223372036854775809"],
        ["events"] = ["[]", "{}", "\"x\"", "[1]", "[[]]", "[{}]", "[\"x\"]", "[true]"],
        ["event"] = ["1", "\"punch\"", "[]", "{}", "{\"kind\":\"punch\"}", "{\"kind\":\"nope\"}"],
    };

    /// <summary>Values of an unknown member: scalars, nesting, and nesting that crosses the reader's depth limit (64)
    /// wherever the member sits.</summary>
    private static readonly string[] Unknowns =
    [
        "1", "\"x\"", "null", "[]", "true", "{\"a\":[1,{\"b\":null}],\"kind\":\"punch\",\"officeId\":1}",
        .. Enumerable.Range(58, 7).Select(depth => new string('[', depth) + new string(']', depth)),
    ];

    /// <summary>Where an unknown member goes: first (before "kind" in a body), after the first member, last (-1).</summary>
    private static readonly int[] UnknownPositions = [0, 1, -1];

    private static readonly string[] Gaps = [" ", "\n", "\t", "\r\n    ", "  \n\t"];
    private static readonly string[] Tails = ["", " ", "\n", "\r\n\t ", " x", "}", "]", "{}", "[]", "1", "\"\"", ",", "null", "//x", "/*x*/", "\0", ":"];
    private static readonly string[] Heads = [" ", "\n\t", "\0", "x", "[", "/*x*/"];
    private static readonly string[] Wholes = ["", " ", "null", "[]", "1", "\"x\"", "{}", "true", "[{}]", "{\"events\":[]}", "{\"events\":null}"];

    /// <summary>What the random test inserts or writes over bytes with: JSON's structural characters, literals, escapes.</summary>
    private static readonly string[] Tokens =
        ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "1", "-", ".", "e", "0", " ", "\n", "a", "\"x\":1,", "\\u0041", "9223372036854775808", "true", "\"\""];

    /// <summary>Where a string value starts, for encoding damage: batch, envelope, punch body (PunchReader) and other
    /// bodies (SyncJson), and enum and date values.</summary>
    private static readonly string[] StringStarts =
    [
        "\"officeId\":\"", "\"batchId\":\"", "\"signature\":\"", "[{\"officeId\":\"", "\"bootId\":\"", "\"prevHash\":\"", "\"hash\":\"",
        "\"workerId\":\"", "\"badgeId\":\"", "\"markedBy\":\"", "\"note\":\"", "\"clock\":\"", "\"method\":\"", "\"at\":\"", "\"kind\":\"",
    ];

    /// <summary>A stray byte, a bad continuation, an encoded surrogate, an overlong form, a cut sequence, a lone continuation.</summary>
    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0x80]];

    private static readonly string[] LoneSurrogates = ["\\uD800", "\\uDC00", "\\uD800\\u0041", "\\uDBFF\\uDBFF"];

    /// <summary>Unknown member names System.Text.Json might treat specially (metadata, empty, case variants of real ones).</summary>
    private static readonly string[] OddNames = ["\"$id\"", "\"$ref\"", "\"$type\"", "\"$values\"", "\"\"", "\"x y\"", "\"OfficeId\"", "\"KIND\"", "\"Event\""];

    private static Node? s_template;

    /// <summary>A fresh copy of the payload's tree (copied, not parsed again: thousands of mutants start from it).</summary>
    private static Node Root()
    {
        if (s_template is null)
        {
            using var doc = JsonDocument.Parse(Payload);
            s_template = Node.From(doc.RootElement);
        }

        return s_template.Clone();
    }

    private static byte[] Mutate(Action<Node> edit)
    {
        var root = Root();
        edit(root);
        return Encoding.UTF8.GetBytes(Render(root, string.Empty));
    }

    private static string Render(Node node, string gap)
    {
        var text = new StringBuilder();
        node.Write(text, gap);
        return text.ToString();
    }

    private static string Quote(string text) => "\"" + text + "\"";

    private static string Escaped(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static string Show(string text) => JsonSerializer.Serialize(text);

    /// <summary>The objects edited member by member: the batch, the first and last envelope, every event body.</summary>
    private static IEnumerable<(string Where, Func<Node, Node> Find)> Targets()
    {
        yield return ("batch", r => r);
        yield return ("first envelope", r => r["events"].At(0));
        yield return ("last envelope", r => r["events"].At(-1));
        for (var k = 0; k < Sample.Length; k++)
        {
            var i = k;
            yield return ($"event #{i} ({EventKinds.Of(Sample[i])})", r => r["events"].At(i)["event"]);
        }
    }

    /// <summary>Each member removed, repeated, moved, renamed (case, escapes) and given other values; per object its
    /// members reversed, emptied, and unknown members added at the start, after the first member and at the end.</summary>
    private static List<(string Label, Action<Node> Edit)> Catalogue()
    {
        var edits = new List<(string Label, Action<Node> Edit)>();
        var template = Root();
        foreach (var (where, find) in Targets())
        {
            var members = find(template).Object;
            for (var m = 0; m < members.Count; m++)
            {
                var i = m;
                var plain = members[m].Name[1..^1];
                void Edit(string what, Action<List<(string Name, Node Value)>> change) =>
                    edits.Add(($"{where}: \"{plain}\" {what}", r => change(find(r).Object)));
                void Rename(string what, string to) => Edit(what, ms => ms[i] = (to, ms[i].Value));
                Edit("removed", ms => ms.RemoveAt(i));
                Edit("repeated next to itself", ms => ms.Insert(i + 1, ms[i]));
                Edit("repeated at the end", ms => ms.Add(ms[i]));
                Edit("repeated under an escaped name", ms => ms.Add((Quote(string.Concat(plain.Select(Escaped))), ms[i].Value)));
                Edit("moved first", ms => ms.Insert(0, Take(ms, i)));
                Edit("moved last", ms => ms.Add(Take(ms, i)));
                Rename("with its first letter upper-cased", Quote(char.ToUpperInvariant(plain[0]) + plain[1..]));
                Rename("upper-cased", Quote(plain.ToUpperInvariant()));
                Rename("with its first letter escaped", Quote(Escaped(plain[0]) + plain[1..]));
                Rename("fully escaped", Quote(string.Concat(plain.Select(Escaped))));
                Rename("with a trailing space", Quote(plain + " "));
                foreach (var alt in Alternatives(plain, members[m].Value.Raw))
                {
                    Edit($"= {alt}", ms => ms[i] = (ms[i].Name, new Node { Raw = alt }));
                }
            }

            edits.Add(($"{where}: members reversed", r => find(r).Object.Reverse()));
            edits.Add(($"{where}: emptied", r => find(r).Object.Clear()));
            edits.Add(($"{where}: one unknown member twice", r => find(r).Object.AddRange([("\"x\"", new Node { Raw = "1" }), ("\"x\"", new Node { Raw = "2" })])));
            foreach (var odd in OddNames)
            {
                edits.Add(($"{where}: unknown member named {odd}", r => find(r).Object.Insert(1, (odd, new Node { Raw = "\"1\"" }))));
            }

            foreach (var unknown in Unknowns)
            {
                foreach (var at in UnknownPositions)
                {
                    edits.Add(($"{where}: unknown member {unknown} at {at}", r => Insert(find(r).Object, at, ("\"extra\"", new Node { Raw = unknown }))));
                }
            }
        }

        edits.Add(("events: the first envelope repeated", r => r["events"].Elements.Add(r["events"].At(0))));
        edits.Add(("events: reversed", r => r["events"].Elements.Reverse()));
        edits.Add(("events: an envelope replaced by an array", r => r["events"].Elements[1] = new Node { Raw = "[]" }));
        return edits;
    }

    private static void Insert(List<(string Name, Node Value)> members, int at, (string Name, Node Value) member) =>
        members.Insert(at < 0 ? members.Count : at, member);

    private static (string Name, Node Value) Take(List<(string Name, Node Value)> members, int i)
    {
        var member = members[i];
        members.RemoveAt(i);
        return member;
    }

    /// <summary>Other values for a member: null and other JSON types for its type, numbers made fractional, signed,
    /// exponent or quoted, strings escaped, plus the member's own <see cref="Special"/> list.</summary>
    private static IEnumerable<string> Alternatives(string name, string? raw)
    {
        IEnumerable<string> byType = raw switch
        {
            null => ["null", "1", "\"x\""],
            "null" or "true" or "false" => ["\"x\"", "0", "false", "{}"],
            _ when raw[0] == '"' => ["null", "1", "true", "[]", "{}", "\"\"", Quote(string.Concat(JsonSerializer.Deserialize<string>(raw)!.Select(Escaped)))],
            _ => ["null", Quote(raw), raw + ".5", raw + ".0", raw + "e0", "-" + raw, "1e3"],
        };
        return byType.Concat(Special.GetValueOrDefault(name) ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<(string Label, byte[] Text)> TextMutants()
    {
        var text = Encoding.UTF8.GetString(Payload);
        foreach (var gap in Gaps)
        {
            yield return ($"tokens separated by {Show(gap)}", Encoding.UTF8.GetBytes(Render(Root(), gap)));
        }

        foreach (var tail in Tails)
        {
            yield return ($"followed by {Show(tail)}", Encoding.UTF8.GetBytes(text + tail));
        }

        foreach (var head in Heads)
        {
            yield return ($"preceded by {Show(head)}", Encoding.UTF8.GetBytes(head + text));
        }

        foreach (var whole in Wholes)
        {
            yield return ($"the payload {Show(whole)}", Encoding.UTF8.GetBytes(whole));
        }

        yield return ("a UTF-8 byte order mark first", [0xEF, 0xBB, 0xBF, .. Payload]);
        yield return ("the batch twice", [.. Payload, .. Payload]);
        yield return ("a comment after the first brace", Encoding.UTF8.GetBytes("{/*c*/" + text[1..]));
        yield return ("a line comment after the first brace", Encoding.UTF8.GetBytes("{//c\n" + text[1..]));
        yield return ("a trailing comma in the batch", Encoding.UTF8.GetBytes(text[..^1] + ",}"));
        yield return ("a trailing comma in events", Replace(text, "}],\"signature\"", "},],\"signature\""));
        yield return ("a trailing comma in an envelope", Replace(text, "\"},{\"officeId\"", "\",},{\"officeId\""));
        yield return ("a trailing comma in a body", Replace(text, "},\"bootId\"", ",},\"bootId\""));
        yield return ("a control character in the batch id", Replace(text, "\"b-7\"", "\"b\u0001-7\""));
        yield return ("a raw tab in the batch id", Replace(text, "\"b-7\"", "\"b\t-7\""));
        yield return ("the batch id escaped", Replace(text, "\"b-7\"", "\"\\u0062-7\""));
        yield return ("an invalid escape in the batch id", Replace(text, "\"b-7\"", "\"\\x62-7\""));
        yield return ("single quotes on the batch id", Replace(text, "\"b-7\"", "'b-7'"));
        yield return ("Chinese text as the device id", Replace(text, "\"deviceId\":\"d1\"", "\"deviceId\":\"设备\""));
        yield return ("an escaped surrogate pair in the batch id", Replace(text, "\"b-7\"", "\"b\\uD83D\\uDE00\""));
        yield return ("NaN as the schema version", Replace(text, "\"schemaVersion\":1", "\"schemaVersion\":NaN"));
    }

    private static byte[] Replace(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the payload has no {from}");
        return Encoding.UTF8.GetBytes(text[..at] + to + text[(at + from.Length)..]);
    }

    /// <summary>Invalid UTF-8 and escaped lone surrogates at the start of every kind of string value, in an unknown
    /// member's name and in its (skipped) value.</summary>
    private static IEnumerable<(string Label, byte[] Text)> EncodingMutants()
    {
        foreach (var start in StringStarts)
        {
            var at = Payload.AsSpan().IndexOf(Encoding.UTF8.GetBytes(start)) + start.Length;
            Assert.True(at >= start.Length, $"the payload has no {start}");
            foreach (var bad in BadUtf8)
            {
                yield return ($"{start} then bytes {Convert.ToHexString(bad)}", [.. Payload[..at], .. bad, .. Payload[at..]]);
            }

            foreach (var lone in LoneSurrogates)
            {
                yield return ($"{start} then {lone}", [.. Payload[..at], .. Encoding.ASCII.GetBytes(lone), .. Payload[at..]]);
            }
        }

        foreach (var bad in BadUtf8.Concat(LoneSurrogates.Select(Encoding.ASCII.GetBytes)))
        {
            var hex = Convert.ToHexString(bad);
            yield return ($"unknown member named with {hex} in the batch", [(byte)'{', (byte)'"', .. bad, .. "\":1,"u8, .. Payload[1..]]);
            yield return ($"unknown member valued with {hex} in the batch", [.. "{\"x\":\""u8, .. bad, .. "\","u8, .. Payload[1..]]);
            var body = Payload.AsSpan().IndexOf("\"event\":{"u8) + "\"event\":{".Length;
            yield return ($"unknown member named with {hex} in a punch", [.. Payload[..body], (byte)'"', .. bad, .. "\":1,"u8, .. Payload[body..]]);
        }
    }

    private static string Damage(string text, (int Kind, int At, int Length, string Token) damage)
    {
        var at = Math.Min(damage.At, text.Length);
        var length = Math.Min(damage.Length, text.Length - at);
        return damage.Kind switch
        {
            1 => text.Remove(at, length),
            2 => text.Insert(at, damage.Token),
            3 => text.Remove(at, Math.Min(1, text.Length - at)).Insert(at, damage.Token),
            4 => text.Insert(at + length, text.Substring(at, length)),
            _ => text,
        };
    }

    /// <summary>A payload as an editable tree: objects keep their members' order and raw name text (so a name can be
    /// escaped or repeated), scalars keep their raw JSON text.</summary>
    private sealed class Node
    {
        public string? Raw { get; init; }

        public List<Node>? Items { get; init; }

        public List<(string Name, Node Value)>? Members { get; init; }

        public List<(string Name, Node Value)> Object => Members ?? throw new InvalidOperationException("not an object");

        public List<Node> Elements => Items ?? throw new InvalidOperationException("not an array");

        public Node this[string name] =>
            Object.Find(m => m.Name == Quote(name)).Value ?? throw new InvalidOperationException($"no member {name}");

        /// <summary>Element i of an array; negative from the end.</summary>
        public Node At(int i) => Items is { Count: > 0 } items && Math.Abs(i) < items.Count + (i < 0 ? 1 : 0)
            ? items[i < 0 ? items.Count + i : i]
            : throw new InvalidOperationException($"no element {i}");

        public Node Clone() => new()
        {
            Raw = Raw,
            Items = Items?.ConvertAll(item => item.Clone()),
            Members = Members?.ConvertAll(m => (m.Name, m.Value.Clone())),
        };

        public static Node From(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => new Node { Members = [.. e.EnumerateObject().Select(p => (Quote(p.Name), From(p.Value)))] },
            JsonValueKind.Array => new Node { Items = [.. e.EnumerateArray().Select(From)] },
            _ => new Node { Raw = e.GetRawText() },
        };

        public void Write(StringBuilder text, string gap)
        {
            if (Raw is not null)
            {
                text.Append(Raw);
                return;
            }

            var count = Members?.Count ?? Items!.Count;
            text.Append(Members is null ? '[' : '{');
            for (var i = 0; i < count; i++)
            {
                text.Append(i == 0 ? gap : "," + gap);
                if (Members is null)
                {
                    Items![i].Write(text, gap);
                    continue;
                }

                text.Append(Members[i].Name).Append(gap).Append(':').Append(gap);
                Members[i].Value.Write(text, gap);
            }

            text.Append(count == 0 ? string.Empty : gap).Append(Members is null ? ']' : '}');
        }
    }

    /// <summary>The oracle for BatchReader's slices: where each element of the top-level "events" array lies, found
    /// with a plain Utf8JsonReader walk (null when there is no such array).</summary>
    private static List<Range>? ElementsOfEvents(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEvents = reader.ValueTextEquals("events"u8);
            reader.Read();
            if (isEvents && reader.TokenType == JsonTokenType.StartArray)
            {
                var elements = new List<Range>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    elements.Add(start..(int)reader.BytesConsumed);
                }

                return elements;
            }

            reader.Skip();
        }

        return null;
    }
}
