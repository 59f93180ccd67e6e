using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalar = YamlDotNet.Core.Events.Scalar;
using Sluice.Server.Problems;

namespace Sluice.Server.Requests;

/// <summary>
/// A YAML body that must be one mapping of scalar fields. Read event by event, so no nesting
/// or alias a client sends can recurse deeply or expand: anything but a scalar value is refused
/// at once. With <c>allowReferences</c>, a field may also be a mapping of scalars (a reference such
/// as <c>account: {id: …, resourceType: …}</c>), read as fields named <c>account.id</c>, ….
/// </summary>
internal static class YamlFields
{
    public static FieldBody Parse(string text, bool allowLists = false, bool allowReferences = false)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return Invalid("body", "is empty; send the fields as YAML or JSON");
            }

            parser.Consume<DocumentStart>();
            if (!parser.TryConsume<MappingStart>(out _))
            {
                return Invalid("body", "must be a YAML mapping of fields (name: value)");
            }

            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.TryConsume<YamlScalar>(out var key))
                {
                    return Invalid("body", "field names must be plain text");
                }

                if (fields.ContainsKey(key.Value) || lists.ContainsKey(key.Value))
                {
                    return Invalid(key.Value, "is given twice");
                }

                if (allowLists && parser.TryConsume<SequenceStart>(out _))
                {
                    var items = new List<string>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        if (!parser.TryConsume<YamlScalar>(out var item))
                        {
                            return Invalid(key.Value, "must be a list of single values");
                        }

                        items.Add(item.Value);
                    }

                    lists.Add(key.Value, items);
                    continue;
                }

                if (allowReferences && parser.TryConsume<MappingStart>(out _))
                {
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        if (!parser.TryConsume<YamlScalar>(out var innerKey) || !parser.TryConsume<YamlScalar>(out var innerValue))
                        {
                            return Invalid(key.Value, "must be a reference of single values, such as {id: …, resourceType: …}");
                        }

                        if (!fields.TryAdd(key.Value + "." + innerKey.Value, IsNull(innerValue) ? null : innerValue.Value))
                        {
                            return Invalid(key.Value + "." + innerKey.Value, "is given twice");
                        }
                    }

                    continue;
                }

                if (!parser.TryConsume<YamlScalar>(out var value))
                {
                    return Invalid(key.Value, allowLists ? "must be a single value or a list of them" : "must be a single value, not a list or a mapping");
                }

                if (!fields.TryAdd(key.Value, IsNull(value) ? null : value.Value))
                {
                    return Invalid(key.Value, "is given twice");
                }
            }

            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                return Invalid("body", "must hold one YAML document");
            }
        }
        catch (YamlException e)
        {
            return Invalid("body", $"is not valid YAML (line {e.Start.Line}, column {e.Start.Column})");
        }

        return FieldBody.Of(fields, lists);
    }

    private static bool IsNull(YamlScalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static FieldBody Invalid(string field, string message) => FieldBody.Failed(ProblemResults.Invalid(field, message));
}
