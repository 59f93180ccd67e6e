using Sluice.Core.Addressing;
using Sluice.Core.Providers;

namespace Sluice.Core.Signing;

/// <summary>
/// What a browser form upload (S3 POST Object with a SigV4 POST policy) may do: into
/// <see cref="Bucket"/> of <see cref="Endpoint"/> (whose region scopes the signature), until
/// <see cref="Expiration"/>, under exactly <see cref="Key"/> or any key starting with
/// <see cref="KeyPrefix"/> (one of the two), and optionally within a size range, with an exact
/// or prefixed Content-Type and with a chosen success status.
/// </summary>
public sealed record PostPolicyRequest(S3Endpoint Endpoint, string Bucket, SigningCredentials Credentials, DateTimeOffset Expiration)
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
