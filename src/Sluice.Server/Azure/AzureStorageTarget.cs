using Sluice.Server.Storage;

namespace Sluice.Server.Azure;

/// <summary>
/// The segments of a <c>/azure/storage/…</c> request, from the raw request target (percent-decoded
/// once, no dot segment resolved, as for S3 keys): the first segment, and the rest of the path.
/// Which is the container and which the blob is decided by <see cref="AzureStorageEndpoints"/>.
/// </summary>
public readonly record struct AzureStorageTarget(string First, string? Rest)
{
    public const string Prefix = "/azure/storage/";

    /// <summary>Null with <paramref name="problem"/> set when the path cannot be decoded.</summary>
    public static AzureStorageTarget? Parse(string rawPath, out string? problem)
    {
        problem = null;
        if (!rawPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = "path must start with /azure/storage/";
            return null;
        }

        string rest = rawPath[Prefix.Length..];
        int slash = rest.IndexOf('/');
        string? first = StorageTarget.Decode(slash < 0 ? rest : rest[..slash]);
        string? tail = slash < 0 ? null : StorageTarget.Decode(rest[(slash + 1)..]);
        if (first is null || (slash >= 0 && tail is null))
        {
            problem = "path has a malformed percent-encoding or bytes that are not UTF-8";
            return null;
        }

        return new AzureStorageTarget(first, tail);
    }

    /// <summary>The rest split at its first '/': (container, blob) of a workload-identity path.</summary>
    public (string Container, string? Blob) SplitRest()
    {
        int slash = Rest!.IndexOf('/');
        return slash < 0 ? (Rest, null) : (Rest[..slash], Rest[(slash + 1)..]);
    }
}
