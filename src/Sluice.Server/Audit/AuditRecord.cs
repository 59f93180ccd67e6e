using System.Text.Json.Serialization;

namespace Sluice.Server.Audit;

/// <summary>
/// One audited request: who (a token's id and name, or a JWT's issuer and subject), from where,
/// what (the action, the account or store, bucket, key or the first of a batch and how many, the
/// method and expiry of the URLs), and the outcome. Never a secret, a signature or a URL: a URL
/// is a bearer credential, and the key, method and expiry say what it allowed.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The row's number, in the order rows were written (set when read back).</summary>
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>What was asked: <see cref="AuditActions"/>.</summary>
    [JsonPropertyName("action")]
    public required string Action { get; init; }

    /// <summary><c>allowed</c> (2xx/3xx), <c>refused</c> (4xx) or <c>failed</c> (5xx).</summary>
    [JsonPropertyName("outcome")]
    public required string Outcome { get; init; }

    [JsonPropertyName("status")]
    public required int Status { get; init; }

    /// <summary><c>token</c>, <c>jwt</c>, or <c>none</c> for a request that had no valid identity.</summary>
    [JsonPropertyName("identityKind")]
    public required string IdentityKind { get; init; }

    /// <summary>A token's id, or a JWT's issuer.</summary>
    [JsonPropertyName("identity")]
    public string? Identity { get; init; }

    /// <summary>A token's name, or a JWT's subject.</summary>
    [JsonPropertyName("identityName")]
    public string? IdentityName { get; init; }

    [JsonPropertyName("clientAddress")]
    public string? ClientAddress { get; init; }

    [JsonPropertyName("requestId")]
    public required string RequestId { get; init; }

    [JsonPropertyName("httpMethod")]
    public required string HttpMethod { get; init; }

    /// <summary>The request's path, without its query (which may carry an upload id, never a secret).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The account (AwsAccount id) or artifact store the request concerned.</summary>
    [JsonPropertyName("account")]
    public string? Account { get; init; }

    [JsonPropertyName("bucket")]
    public string? Bucket { get; init; }

    /// <summary>What an admin action changed: the account's or the token's id.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; init; }

    /// <summary>The object key, or the first key of a batch (or a form's key prefix).</summary>
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    /// <summary>How many keys (URLs) the request signed or concerned: 1, or a batch's size.</summary>
    [JsonPropertyName("keyCount")]
    public int? KeyCount { get; init; }

    /// <summary>The method of the URLs signed (GET, PUT, DELETE).</summary>
    [JsonPropertyName("method")]
    public string? Method { get; init; }

    [JsonPropertyName("expiresAt")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Why it was refused or failed (the problem's detail), for the 4xx and 5xx.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}
