using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Core.Access;

/// <summary>
/// What a token may do. Admin manages accounts and tokens and may sign anything; otherwise the
/// token may only sign, within every list that is not empty (an empty list allows all):
/// these accounts, these buckets, keys under these prefixes, these methods, and never longer
/// than <see cref="MaxExpirationSeconds"/>; uploads never larger than <see cref="MaxUploadBytes"/>.
/// </summary>
public sealed record TokenScope(
    bool Admin,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Buckets,
    IReadOnlyList<string> Prefixes,
    IReadOnlyList<ObjectMethod> Methods,
    int? MaxExpirationSeconds)
{
    public static TokenScope AdminScope { get; } = new(true, [], [], [], [], null);

    /// <summary>
    /// The largest object the token may have uploaded: a PUT must then declare (and so sign) its
    /// Content-Length, a form upload's policy caps its size, and a multipart upload is completed
    /// only when its parts add up to no more.
    /// </summary>
    public long? MaxUploadBytes { get; init; }
}
