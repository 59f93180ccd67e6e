using Sluice.Core.Addressing;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// <c>schema.bucket</c>: <c>s3://bucket/</c> or <c>s3://bucket/prefix/</c> (the trailing slash
/// may be left out). The prefix is kept without its slashes, and may not hold empty, <c>.</c> or
/// <c>..</c> segments, which would make keys that other tools resolve differently.
/// </summary>
public static class StoreBucketUrl
{
    public const string Expected = "must be s3://bucket/ or s3://bucket/prefix/";

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
        string path = slash < 0 ? "" : rest[(slash + 1)..];
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

        if (path.EndsWith('/'))
        {
            path = path[..^1];
        }

        if (path.Length > 0)
        {
            if (path.IndexOfAny(['?', '#']) >= 0)
            {
                problem = $"{Expected}: '{text}' has a query or fragment";
                return false;
            }

            if (RunLayout.SegmentsProblem(path) is { } pathProblem)
            {
                problem = $"{Expected}: the prefix '{path}' {pathProblem}";
                return false;
            }
        }

        prefix = path;
        return true;
    }
}
