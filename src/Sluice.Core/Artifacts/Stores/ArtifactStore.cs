namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// One named connection to a bucket, as the seed writes it (<c>name</c>, <c>kind: s3</c>,
/// <c>schema.bucket: s3://bucket/prefix/</c>, <c>secret.name</c>). <see cref="Prefix"/> is the
/// validated key prefix without its slashes ("" for the bucket's root); <see cref="SecretName"/>
/// is null when the entry names no secret (the process environment and the default chain).
/// </summary>
public sealed record ArtifactStore(string Name, string Bucket, string Prefix, string? SecretName, string? Description, int Line)
{
    /// <summary>The store's location written back as the seed writes it.</summary>
    public string BucketUrl => Prefix.Length == 0 ? $"s3://{Bucket}/" : $"s3://{Bucket}/{Prefix}/";
}
