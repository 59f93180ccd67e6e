using System.Globalization;
using Sluice.Core.Accounts;

namespace Sluice.Server.Storage;

/// <summary>A size field of an upload request (<c>contentLength</c>, a form's <c>minSize</c>/<c>maxSize</c>): whole bytes, 0 to S3's largest single PUT.</summary>
public static class UploadSizeField
{
    /// <summary>S3's largest single PUT: 5 GiB (larger objects go multipart).</summary>
    public const long MaxBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>The size, or null when the field is absent or wrong (then <paramref name="problem"/>, naming what it should be, goes to <paramref name="errors"/>).</summary>
    public static long? Read(IReadOnlyDictionary<string, string?> fields, string name, string problem, List<FieldError> errors)
    {
        if (!fields.TryGetValue(name, out string? text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) && bytes <= MaxBytes)
        {
            return bytes;
        }

        errors.Add(new FieldError(name, problem));
        return null;
    }
}
