using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalar = YamlDotNet.Core.Events.Scalar;

namespace Sluice.Core.Configuration;

/// <summary>A YAML node with the 1-based line it starts on, so every message can point at it.</summary>
internal abstract record YamlNode(int Line);

internal sealed record YamlText(string Value, bool IsNull, int Line) : YamlNode(Line);

internal sealed record YamlList(IReadOnlyList<YamlNode> Items, int Line) : YamlNode(Line);

internal sealed record YamlMap(IReadOnlyList<(YamlText Key, YamlNode Value)> Entries, int Line) : YamlNode(Line);

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s, event by event: keys must be plain
/// text and given once, and anchors and aliases are refused (a configuration has no need of
/// them, and a billion-laughs file must not expand).
/// </summary>
internal static class YamlTree
{
    public const int MaxDepth = 32;

    /// <exception cref="YamlException">Not YAML, or YAML this reader refuses; <c>Start</c> holds the line.</exception>
    public static YamlNode? Load(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        YamlNode root = ReadNode(parser, 0);
        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
        {
            throw new YamlException(second.Start, second.End, "the file must hold one YAML document, not several");
        }

        parser.Consume<StreamEnd>();
        return root;
    }

    private static YamlNode ReadNode(IParser parser, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException(parser.Current!.Start, parser.Current.End, $"nesting deeper than {MaxDepth} levels");
        }

        ParsingEvent current = parser.Current ?? throw new YamlException("unexpected end of the file");
        if (current is AnchorAlias alias)
        {
            throw new YamlException(alias.Start, alias.End, "aliases (*name) are not supported here; write the value out");
        }

        if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            throw new YamlException(anchored.Start, anchored.End, "anchors (&name) are not supported here; write the value out");
        }

        int line = Line(current.Start);
        switch (current)
        {
            case YamlScalar scalar:
                parser.MoveNext();
                bool isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
                return new YamlText(scalar.Value, isNull, line);

            case SequenceStart:
                parser.MoveNext();
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, depth + 1));
                }

                return new YamlList(items, line);

            case MappingStart:
                parser.MoveNext();
                var entries = new List<(YamlText, YamlNode)>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.Accept<MappingEnd>(out _))
                {
                    if (ReadNode(parser, depth + 1) is not YamlText key)
                    {
                        throw new YamlException(parser.Current!.Start, parser.Current.End, "keys must be plain text");
                    }

                    if (!seen.Add(key.Value))
                    {
                        throw new YamlException(new Mark(0, key.Line, 1), new Mark(0, key.Line, 1), $"'{key.Value}' is given twice");
                    }

                    entries.Add((key, ReadNode(parser, depth + 1)));
                }

                parser.MoveNext();
                return new YamlMap(entries, line);

            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    public static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    /// <summary>What a <see cref="YamlException"/> says, without the position its caller already reports.</summary>
    public static string Describe(YamlException e)
    {
        string message = e.InnerException is { } inner && inner.Message.Length > 0 ? inner.Message : e.Message;
        // YamlDotNet prefixes its messages with the position.
        int close = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0)
        {
            message = message[(close + 3)..];
        }

        return message;
    }

    /// <summary>The text of a single value, or null after reporting that it is empty or not a single value.</summary>
    public static string? Text(YamlNode value, string path, string expected, Action<int, string> error)
    {
        if (value is YamlText { IsNull: false } text)
        {
            return text.Value;
        }

        error(value.Line, value is YamlText ? $"{path} is empty (expected {expected})" : $"{path} must be a single value (expected {expected})");
        return null;
    }
}
