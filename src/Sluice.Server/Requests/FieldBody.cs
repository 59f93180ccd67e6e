namespace Sluice.Server.Requests;

/// <summary>
/// A request body read as a flat map of field names to scalar values (and, where the reader
/// allowed them, lists of scalars), or the problem that stopped it.
/// </summary>
public sealed record FieldBody(IReadOnlyDictionary<string, string?>? Fields, IReadOnlyDictionary<string, IReadOnlyList<string>>? Lists, IResult? Problem)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoLists = new Dictionary<string, IReadOnlyList<string>>();

    public static FieldBody Of(IReadOnlyDictionary<string, string?> fields, IReadOnlyDictionary<string, IReadOnlyList<string>>? lists = null) =>
        new(fields, lists ?? NoLists, null);

    public static FieldBody Failed(IResult problem) => new(null, null, problem);

    /// <summary>Every field name given, scalar or list.</summary>
    public IEnumerable<string> Names => (Fields?.Keys ?? []).Concat(Lists?.Keys ?? []);
}
