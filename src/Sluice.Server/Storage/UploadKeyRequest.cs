using Sluice.Core.Accounts;
using Sluice.Core.Addressing;

namespace Sluice.Server.Storage;

/// <summary>
/// The key an upload asks for, the same in a single PUT and a multipart upload: <c>filename</c>,
/// or, without it, a generated key under <c>prefix</c> with the extension of <c>contentType</c>
/// (the declared type, which is then signed). The key itself is checked by the caller, with the
/// field it came from (<see cref="KeyField"/>).
/// </summary>
public sealed record UploadKeyRequest(string Key, string KeyField, string? GeneratedKey, string? ContentType)
{
    public const string FilenameField = "filename";
    public const string ContentTypeField = "contentType";
    public const string PrefixField = "prefix";

    public static UploadKeyRequest Read(IReadOnlyDictionary<string, string?> fields, List<FieldError> errors)
    {
        fields.TryGetValue(FilenameField, out string? filename);
        fields.TryGetValue(ContentTypeField, out string? contentType);
        fields.TryGetValue(PrefixField, out string? prefix);
        bool named = fields.ContainsKey(FilenameField);
        if (named && filename is null)
        {
            errors.Add(new FieldError(FilenameField, "is empty: give the object key, or leave the field out for a key Sluice generates"));
        }

        if (named && prefix is not null)
        {
            errors.Add(new FieldError(PrefixField, "goes only with a generated key: give filename or prefix, not both"));
        }
        else if (prefix is not null && ObjectKey.Problem(prefix + "x") is { } prefixProblem)
        {
            errors.Add(new FieldError(PrefixField, $"(the start of the object key) {prefixProblem}"));
        }

        if (contentType is not null && MediaType.Problem(contentType) is { } typeProblem)
        {
            errors.Add(new FieldError(ContentTypeField, typeProblem));
        }

        string? generated = named ? null : Storage.GeneratedKey.New(prefix, contentType);
        return new UploadKeyRequest(filename ?? generated ?? "", named ? FilenameField : PrefixField, generated, contentType);
    }
}
