using System.Text.Json.Serialization;

namespace Sluice.Server.Accounts;

/// <summary>
/// What <c>POST /AwsAccount/{id}/$check</c> found: where the credentials came from and until
/// when, and whether the bucket answered with them. Never a secret.
/// </summary>
public sealed record AccountCheckResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("credentials")] CredentialsCheck Credentials,
    [property: JsonPropertyName("bucket"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BucketCheck? Bucket);

public sealed record CredentialsCheck(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("source"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source,
    [property: JsonPropertyName("access-key-id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessKeyId,
    [property: JsonPropertyName("temporary")] bool Temporary,
    [property: JsonPropertyName("expiresAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? ExpiresAt,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

public sealed record BucketCheck(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Status,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
