using Microsoft.Extensions.Options;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;
using Sluice.Server.Problems;
using Sluice.Server.Requests;
using Sluice.Core.Providers;

namespace Sluice.Server.Storage;

/// <summary>
/// <c>POST /aws/storage/{account}/{bucket}?form</c>: a signed S3 POST policy for a browser form
/// upload. The bucket itself enforces it: the key (<c>filename</c>) or key prefix (<c>prefix</c>),
/// the size range (<c>minSize</c>, <c>maxSize</c>), the type (<c>contentType</c> exactly or
/// <c>contentTypePrefix</c>, e.g. <c>image/</c>), the status on success (<c>successStatus</c>), and
/// the expiry. The answer is <c>{"url", "fields", "expiresAt"}</c>: post every field, then the file.
/// </summary>
public static class UploadFormEndpoint
{
    public const string QueryWord = "form";

    private static readonly string[] Fields =
        ["filename", "prefix", "contentType", "contentTypePrefix", "minSize", "maxSize", "successStatus"];

    public static async Task<IResult> SignAsync(HttpContext context, StorageTarget target, SluiceOptions options, CancellationToken cancellationToken)
    {
        var body = await FieldBodyReader.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var fields = body.Fields!;
        var errors = PresignEndpoints.TargetErrors(target, keyField: null);
        errors.AddRange(fields.Keys.Where(k => !Fields.Contains(k))
            .Select(k => new FieldError(k, $"is not a field of a form upload request (known: {string.Join(", ", Fields)})")));
        string? key = fields.GetValueOrDefault("filename");
        string? prefix = fields.GetValueOrDefault("prefix");
        if ((key is null) == (prefix is null))
        {
            errors.Add(new FieldError("filename", "give filename (the one key the form may write) or prefix (any key under it), not both"));
        }
        else if (key is not null && ObjectKey.Problem(key) is { } keyProblem)
        {
            errors.Add(new FieldError("filename", $"(the object key) {keyProblem}"));
        }
        else if (prefix is { Length: > 0 } && ObjectKey.Problem(prefix) is { } prefixProblem)
        {
            errors.Add(new FieldError("prefix", $"(the start of the object key) {prefixProblem}"));
        }

        string? contentType = fields.GetValueOrDefault("contentType");
        string? contentTypePrefix = fields.GetValueOrDefault("contentTypePrefix");
        if (contentType is not null && contentTypePrefix is not null)
        {
            errors.Add(new FieldError("contentTypePrefix", "give contentType (exact) or contentTypePrefix, not both"));
        }
        else if (contentType is not null && MediaType.Problem(contentType) is { } typeProblem)
        {
            errors.Add(new FieldError("contentType", typeProblem));
        }
        else if (contentTypePrefix is not null && (contentTypePrefix.Length > 255 || contentTypePrefix.Any(ch => ch is < ' ' or > '~')))
        {
            errors.Add(new FieldError("contentTypePrefix", "must be printable ASCII, at most 255 characters (e.g. image/)"));
        }

        string sizeProblem = $"must be a size in bytes, 0 to {UploadSizeField.MaxBytes}";
        long? minSize = UploadSizeField.Read(fields, "minSize", sizeProblem, errors);
        long? maxSize = UploadSizeField.Read(fields, "maxSize", sizeProblem, errors);
        if (minSize > maxSize)
        {
            errors.Add(new FieldError("minSize", "must not be more than maxSize"));
        }

        int? successStatus = null;
        if (fields.TryGetValue("successStatus", out string? statusText))
        {
            successStatus = statusText switch { "200" => 200, "201" => 201, "204" => 204, _ => null };
            if (successStatus is null)
            {
                errors.Add(new FieldError("successStatus", "must be 200, 201 or 204"));
            }
        }

        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem);
        if (expirationProblem is not null)
        {
            errors.Add(expirationProblem);
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        // The scope is checked on the key, or on the prefix: every key the form can write starts with it.
        if ((ScopeAuthorization.Deny(context, target.Account, target.Bucket, key ?? prefix!, ObjectMethod.Put, expiration!.Value)
            ?? ScopeAuthorization.DenyUploadSize(context, maxSize)) is { } denied)
        {
            return denied;
        }

        var (session, problem) = await SigningSession.OpenAsync(context, target.Account, expiration.Value, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        if (session.Signer is not IFormSigner forms)
        {
            return ProblemResults.Status(StatusCodes.Status400BadRequest, "No form uploads", $"Account '{session.AccountId}' is of a store that has no browser form uploads; sign a PUT instead.");
        }

        var policy = new FormPolicy(target.Bucket, session.Lifetime.SignedAt.AddSeconds(session.Lifetime.Seconds))
        {
            Key = key,
            KeyPrefix = prefix,
            ContentLength = minSize is null && maxSize is null ? null : new ContentLengthRange(minSize ?? 0, maxSize ?? long.MaxValue),
            ContentType = contentType,
            ContentTypePrefix = contentTypePrefix,
            SuccessActionStatus = successStatus,
        };
        PostPolicyForm form = forms.SignForm(policy, session.Lifetime.SignedAt);
        session.CountBatch(ObjectMethod.Put, target.Bucket, 1, key ?? prefix);
        return Results.Ok(new UploadFormResponse(form.Url, form.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal), session.Lifetime.ExpiresAt, session.Lifetime.Note));
    }
}
