namespace Sluice.Core.Providers;

/// <summary>
/// What a browser form upload may do: into <see cref="Bucket"/> until <see cref="Expiration"/>,
/// under exactly <see cref="Key"/> or any key starting with <see cref="KeyPrefix"/> (one of the
/// two), and optionally within a size range, with an exact or prefixed Content-Type and with a chosen success status.
/// A store's signer adds what it signs with (S3: <see cref="Signing.PostPolicyRequest"/>).
/// </summary>
public record FormPolicy(string Bucket, DateTimeOffset Expiration)
{
    /// <summary>The one key the form may write.</summary>
    public string? Key { get; init; }

    /// <summary>The form may write any key starting with this (<c>["starts-with", "$key", prefix]</c>); may be empty.</summary>
    public string? KeyPrefix { get; init; }

    public ContentLengthRange? ContentLength { get; init; }

    /// <summary>The exact Content-Type the form must post; it becomes one of the form's fields.</summary>
    public string? ContentType { get; init; }

    /// <summary>The Content-Type must start with this; the page adds the <c>Content-Type</c> field itself.</summary>
    public string? ContentTypePrefix { get; init; }

    /// <summary>200, 201 (with an XML body describing the object) or 204 (S3's default).</summary>
    public int? SuccessActionStatus { get; init; }
}
