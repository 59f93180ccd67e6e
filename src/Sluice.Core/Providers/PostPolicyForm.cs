namespace Sluice.Core.Providers;

/// <summary>
/// A signed browser upload form: POST <c>multipart/form-data</c> to <see cref="Url"/> with
/// every field of <see cref="Fields"/>, in any order, followed by the <c>file</c> field last
/// (S3 ignores fields after the file). With a key prefix the <c>key</c> field is
/// <c>prefix${filename}</c>, which S3 fills in with the uploaded file's name; a page may
/// replace it with any key under the prefix.
/// </summary>
public sealed record PostPolicyForm(string Url, IReadOnlyList<KeyValuePair<string, string>> Fields, DateTimeOffset Expiration)
{
    /// <summary>The value of the field named <paramref name="name"/> (case-insensitive, as S3 reads them), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, string> field in Fields)
            {
                if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return field.Value;
                }
            }

            return null;
        }
    }
}
