using Sluice.Core.Addressing;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// <c>schema.bucket</c>, by the store's kind:
/// <list type="bullet">
/// <item><c>s3</c>: <c>s3://bucket/</c> or <c>s3://bucket/prefix/</c>;</item>
/// <item><c>wasb</c>: <c>wasbs://container@account.blob.core.windows.net/</c> or <c>…/prefix/</c>
/// (<c>wasb://</c> for plain HTTP), as Polyaxon and Hadoop write it.</item>
/// </list>
/// The trailing slash may be left out. The prefix is kept without its slashes, and may not hold
/// empty, <c>.</c> or <c>..</c> segments, which would make keys that other tools resolve differently.
/// </summary>
public static class StoreBucketUrl
{
    public const string Expected = "must be s3://bucket/ or s3://bucket/prefix/";
    public const string ExpectedWasb = "must be wasbs://container@account.blob.core.windows.net/ or …/prefix/";

    public static bool TryParse(string? text, out string bucket, out string prefix, out string? problem)
    {
        bucket = "";
        prefix = "";
        problem = null;
        if (string.IsNullOrEmpty(text) || !text.StartsWith("s3://", StringComparison.Ordinal))
        {
            problem = $"{Expected} (got '{text}')";
            return false;
        }

        string rest = text["s3://".Length..];
        int slash = rest.IndexOf('/');
        bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
        {
            problem = $"{Expected} (no bucket name in '{text}')";
            return false;
        }

        if (BucketName.Problem(bucket) is { } bucketProblem)
        {
            problem = $"{Expected}: the bucket name '{bucket}' {bucketProblem}";
            return false;
        }

        return TryPrefix(text, slash < 0 ? "" : rest[(slash + 1)..], Expected, out prefix, out problem);
    }

    public static bool TryParseWasb(string? text, out string container, out string prefix, out WasbLocation? location, out string? problem)
    {
        container = "";
        prefix = "";
        location = null;
        problem = null;
        bool tls = text?.StartsWith("wasbs://", StringComparison.Ordinal) == true;
        if (string.IsNullOrEmpty(text) || !(tls || text.StartsWith("wasb://", StringComparison.Ordinal)))
        {
            problem = $"{ExpectedWasb} (got '{text}')";
            return false;
        }

        string rest = text[(tls ? "wasbs://" : "wasb://").Length..];
        int slash = rest.IndexOf('/');
        string authority = slash < 0 ? rest : rest[..slash];
        int at = authority.IndexOf('@');
        if (at <= 0)
        {
            problem = $"{ExpectedWasb} (no container@ in '{text}')";
            return false;
        }

        container = authority[..at];
        string host = authority[(at + 1)..].ToLowerInvariant();
        if (ContainerName.Problem(container) is { } containerProblem)
        {
            problem = $"{ExpectedWasb}: the container name '{container}' {containerProblem}";
            return false;
        }

        string[] labels = host.Split('.');
        if (labels.Length >= 3 && labels[1] == "blob" && StorageAccountName.Problem(labels[0]) is { } accountProblem)
        {
            problem = $"{ExpectedWasb}: the storage account name '{labels[0]}' {accountProblem}";
            return false;
        }

        if (labels.Length < 3 || labels[1] != "blob" || !EndpointHost.TryParse(host, out EndpointHost parsed, out _) || parsed.Port is not null)
        {
            problem = $"{ExpectedWasb}: '{host}' is not a storage account's blob host (account.blob.core.windows.net)";
            return false;
        }

        location = new WasbLocation(host, tls);
        return TryPrefix(text, slash < 0 ? "" : rest[(slash + 1)..], ExpectedWasb, out prefix, out problem);
    }

    private static bool TryPrefix(string text, string path, string expected, out string prefix, out string? problem)
    {
        prefix = "";
        problem = null;
        if (path.EndsWith('/'))
        {
            path = path[..^1];
        }

        if (path.Length > 0)
        {
            if (path.IndexOfAny(['?', '#']) >= 0)
            {
                problem = $"{expected}: '{text}' has a query or fragment";
                return false;
            }

            if (RunLayout.SegmentsProblem(path) is { } pathProblem)
            {
                problem = $"{expected}: the prefix '{path}' {pathProblem}";
                return false;
            }
        }

        prefix = path;
        return true;
    }
}
