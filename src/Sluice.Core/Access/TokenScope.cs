using Sluice.Core.Signing;

namespace Sluice.Core.Access;

/// <summary>
/// What a token may do. Admin manages accounts and tokens and may sign anything; otherwise the
/// token may only sign, within every list that is not empty (an empty list allows all):
/// these accounts, these buckets, keys under these prefixes, these methods, and never longer
/// than <see cref="MaxExpirationSeconds"/>.
/// </summary>
public sealed record TokenScope(
    bool Admin,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Buckets,
    IReadOnlyList<string> Prefixes,
    IReadOnlyList<S3Method> Methods,
    int? MaxExpirationSeconds)
{
    public static TokenScope AdminScope { get; } = new(true, [], [], [], [], null);
}
