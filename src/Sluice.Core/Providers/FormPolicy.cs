namespace Sluice.Core.Providers;

/// <summary>
/// What a browser form upload may do: into <see cref="Bucket"/> until <see cref="Expiration"/>,
/// under exactly <see cref="Key"/> or any key starting with <see cref="KeyPrefix"/> (one of the
/// two), and optionally within a size range, with an exact or prefixed Content-Type and with a chosen success status.
/// </summary>
public sealed record FormPolicy(string Bucket, DateTimeOffset Expiration)
{
    public string? Key { get; init; }

    public string? KeyPrefix { get; init; }

    public ContentLengthRange? ContentLength { get; init; }

    public string? ContentType { get; init; }

    public string? ContentTypePrefix { get; init; }

    /// <summary>200, 201 or 204.</summary>
    public int? SuccessActionStatus { get; init; }
}
