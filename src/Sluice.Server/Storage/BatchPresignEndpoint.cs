using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Server.Auth;
using Sluice.Server.Problems;
using Sluice.Server.Requests;
using Sluice.Core.Providers;

namespace Sluice.Server.Storage;

/// <summary>
/// <c>POST /aws/storage/{account}/{bucket}?batch</c> with <c>{"method": "GET", "keys": [...]}</c>:
/// up to <see cref="MaxKeys"/> URLs in one answer, all signed at one time with one lifetime. Every
/// key is checked (and checked against the token's scope) before the first URL is written; the
/// answer is then streamed, <c>{"method", "expiresAt", "urls": [{"key", "url"}, …]}</c>, in key order.
/// </summary>
public static class BatchPresignEndpoint
{
    public const string QueryWord = "batch";
    public const int MaxKeys = 10_000;
    public const string MethodField = "method";
    public const string KeysField = "keys";

    // 10,000 keys of S3's longest (1,024 bytes), JSON-escaped at worst: the body limit for this request only.
    private const int MaxBodyBytes = 16 * 1024 * 1024;
    private const int ReportedKeyErrors = 20;

    public static async Task<IResult> SignAsync(HttpContext context, StorageTarget target, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        var body = await FieldBodyReader.ReadAsync(context.Request, MaxBodyBytes, cancellationToken, allowLists: true);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var errors = PresignEndpoints.TargetErrors(target, keyField: null);
        if (target.Key is not null)
        {
            errors.Add(new FieldError("path", "a batch is signed for a bucket: POST /aws/storage/{account}/{bucket}?batch"));
        }

        errors.AddRange(body.Names.Where(n => n is not MethodField and not KeysField)
            .Select(n => new FieldError(n, $"is not a field of a batch request (known: {MethodField}, {KeysField})")));
        body.Fields!.TryGetValue(MethodField, out string? methodName);
        if (!ObjectMethodNames.TryParse(methodName, out ObjectMethod method))
        {
            errors.Add(new FieldError(MethodField, "is required: GET, PUT or DELETE"));
        }

        IReadOnlyList<string> keys = body.Lists!.GetValueOrDefault(KeysField)
            ?? (body.Fields.TryGetValue(KeysField, out string? single) && single is not null ? [single] : []);
        if (keys.Count is 0 or > MaxKeys)
        {
            errors.Add(new FieldError(KeysField, $"must list 1 to {MaxKeys} object keys (got {keys.Count})"));
        }

        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem);
        if (expirationProblem is not null)
        {
            errors.Add(expirationProblem);
        }

        if (errors.Count == 0)
        {
            errors.AddRange(KeyErrors(keys));
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        if (method == ObjectMethod.Put && ScopeAuthorization.DenyUploadSize(context, declaredBytes: null) is { } tooLarge)
        {
            return tooLarge; // a batch declares no sizes
        }

        foreach (string key in keys)
        {
            if (ScopeAuthorization.Deny(context, target.Account, target.Bucket, key, method, expiration!.Value) is { } denied)
            {
                return denied;
            }
        }

        var (session, problem) = await SigningSession.OpenAsync(context, target.Account, expiration!.Value, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        return new BatchResult(session, target.Bucket, method, keys);
    }

    /// <summary>The first <see cref="ReportedKeyErrors"/> bad keys, each named by its index.</summary>
    private static IEnumerable<FieldError> KeyErrors(IReadOnlyList<string> keys) => keys
        .Select((key, index) => (index, problem: ObjectKey.Problem(key)))
        .Where(k => k.problem is not null)
        .Take(ReportedKeyErrors)
        .Select(k => new FieldError($"{KeysField}[{k.index}]", $"(the object key) {k.problem}"));

    private sealed class BatchResult(SigningSession session, string bucket, ObjectMethod method, IReadOnlyList<string> keys) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            // URLs are full of '&': the default encoder would write each as \u0026.
            var output = context.Response.BodyWriter;
            await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            json.WriteString("method", method.ToHttpMethod());
            json.WriteString("expiresAt", session.Lifetime.ExpiresAt);
            if (session.Lifetime.Note is { } note)
            {
                json.WriteString("note", note);
            }

            json.WriteStartArray("urls");
            for (int i = 0; i < keys.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("key", keys[i]);
                json.WriteString("url", session.SignQuietly(bucket, keys[i], method));
                json.WriteEndObject();
                if (json.BytesPending > 32 * 1024)
                {
                    json.Flush(); // into the pipe; the pipe's flush sends it
                    await output.FlushAsync(context.RequestAborted);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            await output.FlushAsync(context.RequestAborted);
            session.CountBatch(method, bucket, keys.Count, keys.Count > 0 ? keys[0] : null);
        }
    }
}
