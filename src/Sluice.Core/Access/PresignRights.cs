using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Core.Access;

/// <summary>
/// Checks one presign request against a token's scope and names the first right it lacks.
/// Keys are compared byte for byte, as S3 compares them: no case folding, no Unicode
/// normalisation (a full-width or composed look-alike is another key), and the key is the one
/// that will be signed (already percent-decoded once). Under a prefix, keys with <c>.</c> or
/// <c>..</c> segments are refused: S3 keeps them literally, but a client that resolves them
/// would address something outside the prefix.
/// </summary>
public static class PresignRights
{
    public static string? Missing(TokenScope scope, string account, string bucket, string key, ObjectMethod method, int expirationSeconds)
    {
        if (scope.Admin)
        {
            return null;
        }

        if (scope.Accounts.Count > 0 && !scope.Accounts.Contains(account, StringComparer.Ordinal))
        {
            return $"the token may not sign for account '{account}'";
        }

        if (scope.Buckets.Count > 0 && !scope.Buckets.Contains(bucket, StringComparer.Ordinal))
        {
            return $"the token may not sign for bucket '{bucket}'";
        }

        if (scope.Methods.Count > 0 && !scope.Methods.Contains(method))
        {
            return $"the token may not sign {method.ToHttpMethod()} URLs";
        }

        if (scope.Prefixes.Count > 0)
        {
            if (!scope.Prefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return "the token may not sign keys outside its prefixes";
            }

            if (HasDotSegment(key))
            {
                return "the token is limited to prefixes, and keys with '.' or '..' segments are refused under a prefix";
            }
        }

        if (scope.MaxExpirationSeconds is { } max && expirationSeconds > max)
        {
            return $"the token may not sign URLs valid longer than {max} seconds";
        }

        return null;
    }

    /// <summary>
    /// For an upload of <paramref name="declaredBytes"/> (null: not declared, so not enforced by the
    /// server that receives it), what the token's <see cref="TokenScope.MaxUploadBytes"/> forbids, or null.
    /// </summary>
    public static string? UploadSizeMissing(TokenScope scope, long? declaredBytes)
    {
        if (scope.Admin || scope.MaxUploadBytes is not { } max)
        {
            return null;
        }

        return declaredBytes switch
        {
            null => $"the token limits uploads to {max} bytes: declare the upload's size (contentLength), which is then signed",
            > 0 when declaredBytes > max => $"the token limits uploads to {max} bytes (declared: {declaredBytes})",
            _ => null,
        };
    }

    private static bool HasDotSegment(string key)
    {
        foreach (Range segment in key.AsSpan().Split('/'))
        {
            ReadOnlySpan<char> part = key.AsSpan()[segment];
            if (part is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
