using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Artifacts;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Core.Transfers;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary><c>kind: s3</c> on the RADOS Gateway's bucket, seen through the AWS SDK.</summary>
public sealed class GatewayStore(RadosGatewayFixture gateway) : StoreUnderTest
{
    public RadosGatewayFixture Gateway { get; } = gateway;

    public override string Kind => "s3";

    public override string BucketUrl(string prefix) => $"s3://{Gateway.Bucket}/{prefix}/";

    public override Dictionary<string, string> SecretValues() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = Gateway.Credentials.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Gateway.Credentials.SecretAccessKey,
        ["AWS_ENDPOINT_URL"] = Gateway.ServiceUrl.GetLeftPart(UriPartial.Authority),
        ["AWS_REGION"] = Gateway.Region,
    };

    public override async Task<ArtifactClient> ConnectAsync(string prefix, TransferOptions options, string? authority = null)
    {
        S3Endpoint endpoint = authority is null
            ? Gateway.Endpoint
            : Gateway.Endpoint with { Host = EndpointHost.TryParse(authority, out EndpointHost host, out _) ? host : throw new ArgumentException(authority) };
        var store = new ArtifactStore("it", Gateway.Bucket, prefix, null, null, 1);
        var connection = new S3StoreConnection(store, endpoint, true, new SigningCredentials(Gateway.Credentials.AccessKeyId, Gateway.Credentials.SecretAccessKey), "test");
        return await ArtifactClient.ConnectAsync(connection, options, CredentialEnvironment.Process, CancellationToken.None);
    }

    public override async Task<Dictionary<string, (long Size, string ETag)>> ListAsync(string prefix)
    {
        var found = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = Gateway.Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await Gateway.S3.ListObjectsV2Async(request);
            foreach (S3Object item in page.S3Objects ?? [])
            {
                found.Add(item.Key[prefix.Length..], (item.Size ?? 0, item.ETag));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return found;
    }

    public override async Task<List<OpenUpload>> UploadsInProgressAsync(string prefix)
    {
        var response = await Gateway.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Gateway.Bucket, Prefix = prefix });
        return (response.MultipartUploads ?? []).Select(u => new OpenUpload(u.Key, u.UploadId)).ToList();
    }

    public override async Task<int> PartsInProgressAsync(OpenUpload upload) =>
        (await Gateway.S3.ListPartsAsync(Gateway.Bucket, upload.Key, upload.UploadId)).Parts?.Count ?? 0;

    public override async Task<bool> ExistsAsync(string key)
    {
        try
        {
            await Gateway.S3.GetObjectMetadataAsync(Gateway.Bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public override async Task<string> ReadTextAsync(string key)
    {
        using var response = await Gateway.S3.GetObjectAsync(Gateway.Bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    public override Task WriteTextAsync(string key, string text) =>
        Gateway.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = Gateway.Bucket, Key = key, ContentBody = text });

    public override async Task DeleteAllAsync(string prefix)
    {
        foreach (OpenUpload upload in await UploadsInProgressAsync(prefix))
        {
            await Gateway.S3.AbortMultipartUploadAsync(Gateway.Bucket, upload.Key, upload.UploadId);
        }

        var request = new ListObjectsV2Request { BucketName = Gateway.Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await Gateway.S3.ListObjectsV2Async(request);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await Gateway.S3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = Gateway.Bucket,
                    Objects = objects.Select(o => new KeyVersion { Key = o.Key }).ToList(),
                });
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }
}
