namespace Sluice.Server.Requests;

/// <summary>A request body read as a flat map of field names to scalar values, or the problem that stopped it.</summary>
public sealed record FieldBody(IReadOnlyDictionary<string, string?>? Fields, IResult? Problem)
{
    public static FieldBody Of(IReadOnlyDictionary<string, string?> fields) => new(fields, null);

    public static FieldBody Failed(IResult problem) => new(null, problem);
}
