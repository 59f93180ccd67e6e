using Sluice.Core.Access;
using Sluice.Core.Signing;
using Sluice.Server.Problems;
using Sluice.Core.Providers;

namespace Sluice.Server.Auth;

/// <summary>The 403 for a presign request outside the token's scope, naming the missing right.</summary>
public static class ScopeAuthorization
{
    public static IResult? Deny(HttpContext context, string account, string bucket, string key, ObjectMethod method, int expirationSeconds)
    {
        Caller? caller = Caller.Of(context);
        if (caller is null)
        {
            return ProblemResults.Status(StatusCodes.Status401Unauthorized, "Authentication required", "a valid token is required");
        }

        return PresignRights.Missing(caller.Scope, account, bucket, key, method, expirationSeconds) is { } missing
            ? ProblemResults.Status(StatusCodes.Status403Forbidden, "Outside the token's scope", missing)
            : null;
    }

    /// <summary>The 403 for an upload larger than the token allows, or not declaring its size under a token that limits it.</summary>
    public static IResult? DenyUploadSize(HttpContext context, long? declaredBytes) =>
        Caller.Of(context) is { } caller && PresignRights.UploadSizeMissing(caller.Scope, declaredBytes) is { } missing
            ? ProblemResults.Status(StatusCodes.Status403Forbidden, "Outside the token's scope", missing)
            : null;
}
