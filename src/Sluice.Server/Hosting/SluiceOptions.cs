namespace Sluice.Server.Hosting;

/// <summary>Server settings, from the <c>Sluice</c> configuration section or <c>SLUICE_*</c> variables.</summary>
public sealed class SluiceOptions
{
    public const string Section = "Sluice";

    /// <summary>Where the embedded database and the generated encryption key live.</summary>
    public string DataDirectory { get; set; } = ".sluice";

    /// <summary>Base64 of 32 bytes that encrypt stored secrets; generated into the data directory when absent.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>An admin token the operator chose (<c>SLUICE_ADMIN_TOKEN</c>); without one, a token is generated at first start.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The largest request body read (accounts and upload requests are small).</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Requests per second each token may make (twice that in a burst); 0 turns the limit off.</summary>
    public int RateLimitPerSecond { get; set; } = 5000;

    /// <summary>The longest a request may take before it is cancelled.</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary><c>sluice</c> (the default), or <c>aws-sdk</c> to sign with AWSSDK.S3 instead: only for load comparisons.</summary>
    public string Signer { get; set; } = "sluice";

    /// <summary>
    /// Console log format: <c>json</c> (one object a line, with the request id) or <c>text</c>;
    /// unset, text on a terminal and JSON otherwise (a pipe, a file, a container's log).
    /// </summary>
    public string? LogFormat { get; set; }

    /// <summary>Temporary credentials from the default chain are refreshed this many seconds before they expire.</summary>
    public int CredentialRefreshBeforeExpirySeconds { get; set; } = 300;

    /// <summary>
    /// On PostgreSQL: how long, after losing the database, an instance still authenticates and
    /// signs with the tokens and accounts it has cached (0: not at all). A revoke made through
    /// another instance meanwhile reaches this one when it reconnects, so this is the longest a
    /// revoked token can still be used during a cut-off.
    /// </summary>
    public int CacheMaxStalenessSeconds { get; set; } = 300;

    /// <summary>Every URL signed, every upload and admin change, every refused request is recorded (see <c>GET /audit</c>); false turns the trail off.</summary>
    public bool AuditEnabled { get; set; } = true;

    /// <summary>
    /// How many audit records may wait for the database (records of requests being served count):
    /// past it, <see cref="AuditWhenFull"/> decides. 100,000 records take about 50 MB.
    /// </summary>
    public int AuditQueueLimit { get; set; } = 100_000;

    /// <summary>
    /// <c>refuse</c> (the default): a request that finds the audit queue full is refused with 503
    /// and <c>Retry-After</c>, so nothing is served unrecorded; <c>drop</c>: it is served, and its
    /// record dropped and counted (<c>sluice_audit_records_dropped_total</c>).
    /// </summary>
    public string AuditWhenFull { get; set; } = "refuse";

    /// <summary>
    /// How long audit records gather before they are written (one transaction a flush): a kill -9
    /// loses at most the records of this long and the batch being written; shorter costs more transactions.
    /// </summary>
    public int AuditFlushMilliseconds { get; set; } = 500;

    /// <summary>Audit records older than this many days are deleted (hourly); 0 keeps them forever.</summary>
    public int AuditRetentionDays { get; set; } = 90;

    /// <summary>Each audit record is also written as a structured log event (EventName <c>Audit</c>).</summary>
    public bool AuditLog { get; set; }

    /// <summary>The artifact stores file (<c>SLUICE_CONFIG</c>): <c>artifactsStore:</c> and/or <c>connections:</c> as the seed writes them; none: no stores.</summary>
    public string? ArtifactsConfig { get; set; }

    /// <summary>
    /// The identities file (<c>SLUICE_IDENTITIES</c>): OpenID Connect issuers whose JWTs are accepted
    /// beside Sluice's tokens, and the rules that give their claims a scope; none: Sluice tokens only.
    /// </summary>
    public string? IdentitiesConfig { get; set; }

    /// <summary>Where store secrets are mounted (<c>SLUICE_SECRETS_DIR</c>), one directory per secret, one file per key.</summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>
    /// Azure workload identity (<c>SLUICE_AZURE_WORKLOAD_IDENTITY</c>): <c>/azure/storage/{storage-account}/{container}/…</c>
    /// signs user delegation SAS with DefaultAzureCredential's sources (environment, federated token
    /// file, managed identity), with no resource; off: only <c>AzureContainer</c> ids are served.
    /// </summary>
    public bool AzureWorkloadIdentity { get; set; }

    /// <summary>
    /// The blob service of a storage account named in a workload-identity path
    /// (<c>SLUICE_AZURE_BLOB_ENDPOINT</c>), <c>{storage}</c> replaced by its name: a sovereign cloud's
    /// suffix, or an emulator.
    /// </summary>
    public string AzureBlobEndpoint { get; set; } = "https://{storage}.blob.core.windows.net";
}
