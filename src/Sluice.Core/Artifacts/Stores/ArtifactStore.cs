namespace Sluice.Core.Artifacts.Stores;

/// <summary>What a store is: Polyaxon's <c>kind</c> (<c>s3</c>, <c>wasb</c>).</summary>
public enum StoreKind
{
    S3,
    Wasb,
}

/// <summary>
/// One named connection to a bucket or container, as the seed writes it (<c>name</c>, <c>kind</c>,
/// <c>schema.bucket</c>, <c>secret.name</c>). <see cref="Bucket"/> is the S3 bucket or the Azure
/// container; <see cref="Prefix"/> is the validated key prefix without its slashes ("" for the root);
/// <see cref="Wasb"/> is where an Azure container's account is (null for S3); <see cref="SecretName"/>
/// is null when the entry names no secret (the process environment and the default chain).
/// </summary>
public sealed record ArtifactStore(string Name, string Bucket, string Prefix, string? SecretName, string? Description, int Line, WasbLocation? Wasb = null)
{
    public StoreKind Kind => Wasb is null ? StoreKind.S3 : StoreKind.Wasb;

    /// <summary>The store's location written back as the seed writes it.</summary>
    public string BucketUrl
    {
        get
        {
            string root = Wasb is { } wasb ? $"{wasb.Scheme}://{Bucket}@{wasb.Host}/" : $"s3://{Bucket}/";
            return Prefix.Length == 0 ? root : $"{root}{Prefix}/";
        }
    }
}
