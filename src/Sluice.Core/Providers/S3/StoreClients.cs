using Amazon.S3;
using Sluice.Core.Signing;

namespace Sluice.Core.Providers.S3;

/// <summary>A store's SDK client, and its credentials as our presigner takes them (the same keys, or the same refreshing chain).</summary>
public sealed record StoreClients(AmazonS3Client S3, Func<CancellationToken, ValueTask<SigningCredentials>> Credentials);
