using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Artifacts;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.IntegrationTests.S3;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Transfers;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// One test's world: a temporary directory with a stores file in the seed's shape (pointing at the
/// gateway's bucket under a fresh prefix), a secrets directory holding the gateway's keys as
/// Kubernetes mounts a Secret, and ways to run <c>sluice artifacts</c> against them and look at
/// the bucket with the AWS SDK. Whatever was stored under the prefix is deleted when disposed.
/// </summary>
public sealed class ArtifactsWorkspace : IAsyncDisposable
{
    public const string StoreName = "s3-artifacts";
    public const string SecretName = "s3-secret";

    public ArtifactsWorkspace(RadosGatewayFixture gateway)
    {
        Gateway = gateway;
        Root = Directory.CreateTempSubdirectory("sluice-artifacts-").FullName;
        Prefix = "it-" + Guid.NewGuid().ToString("N")[..10];
        ConfigPath = Path.Combine(Root, "stores.yaml");
        SecretsDirectory = Path.Combine(Root, "secrets");
        File.WriteAllText(ConfigPath, $"""
            artifactsStore:
              name: {StoreName}
              kind: s3
              schema:
                bucket: "s3://{gateway.Bucket}/{Prefix}/"
              secret:
                name: "{SecretName}"
            """);
        MountSecret(SecretName, GatewayKeys());
    }

    public RadosGatewayFixture Gateway { get; }

    public string Root { get; }

    /// <summary>The store's key prefix in the gateway's bucket.</summary>
    public string Prefix { get; }

    public string ConfigPath { get; }

    public string SecretsDirectory { get; }

    /// <summary>
    /// An in-process client for the workspace's prefix in the gateway's bucket, with the gateway's
    /// keys; <paramref name="authority"/> (host:port) points it elsewhere, e.g. at a <see cref="GatewayProxy"/>.
    /// </summary>
    public async Task<ArtifactClient> ConnectAsync(TransferOptions? options = null, string? authority = null)
    {
        S3Endpoint endpoint = authority is null
            ? Gateway.Endpoint
            : Gateway.Endpoint with { Host = EndpointHost.TryParse(authority, out EndpointHost host, out _) ? host : throw new ArgumentException(authority) };
        var store = new ArtifactStore("it", Gateway.Bucket, Prefix, null, null, 1);
        var connection = new StoreConnection(store, endpoint, true, new SigningCredentials(Gateway.Credentials.AccessKeyId, Gateway.Credentials.SecretAccessKey), "test");
        return await ArtifactClient.ConnectAsync(connection, options ?? new TransferOptions(), CredentialEnvironment.Process, CancellationToken.None);
    }

    /// <summary>The keys and endpoint of the gateway, as a secret holds them.</summary>
    public Dictionary<string, string> GatewayKeys() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = Gateway.Credentials.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Gateway.Credentials.SecretAccessKey,
        ["AWS_ENDPOINT_URL"] = Gateway.ServiceUrl.GetLeftPart(UriPartial.Authority),
        ["AWS_REGION"] = Gateway.Region,
    };

    /// <summary>Lays out a secret as the kubelet does: links to files in a timestamped ..data directory, values with a trailing newline.</summary>
    public void MountSecret(string name, IReadOnlyDictionary<string, string> values)
    {
        string directory = Path.Combine(SecretsDirectory, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        string data = Path.Combine(directory, "..2024_06_01_12_00_00.000000001");
        Directory.CreateDirectory(data);
        foreach (var (key, value) in values)
        {
            File.WriteAllText(Path.Combine(data, key), value + "\n");
            File.CreateSymbolicLink(Path.Combine(directory, key), Path.Combine(data, key));
        }
    }

    public string MakeDirectory(string name)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary><c>sluice artifacts COMMAND ARGS --config … --secrets-dir … --run RUN</c>.</summary>
    public Task<SluiceChild.Result> RunAsync(string run, params string[] arguments) =>
        SluiceChild.RunAsync(WithStore(run, arguments), new Dictionary<string, string>());

    public SluiceChild Start(string run, params string[] arguments) =>
        SluiceChild.Start(WithStore(run, arguments), new Dictionary<string, string>());

    /// <summary>As <see cref="Start"/>, with stdin left open for the test to write (<see cref="SluiceChild.Input"/>).</summary>
    public SluiceChild StartWithInput(string run, params string[] arguments) =>
        SluiceChild.Start(WithStore(run, arguments), new Dictionary<string, string>(), keepInputOpen: true);

    /// <summary>An object's content, by its key under the run.</summary>
    public async Task<string> ReadTextAsync(string run, string path)
    {
        using var response = await Gateway.S3.GetObjectAsync(Gateway.Bucket, $"{Prefix}/{run}/{path}");
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    public IEnumerable<string> WithStore(string run, IEnumerable<string> arguments) =>
        ["artifacts", .. arguments, "--config", ConfigPath, "--secrets-dir", SecretsDirectory, "--run", run];

    /// <summary>The gateway's own listing of a run: key under the run → (size, ETag).</summary>
    public async Task<Dictionary<string, (long Size, string ETag)>> ListRunAsync(string run)
    {
        string prefix = $"{Prefix}/{run}/";
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

    /// <summary>Multipart uploads in progress under the store's prefix.</summary>
    public async Task<List<MultipartUpload>> UploadsInProgressAsync()
    {
        var response = await Gateway.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Gateway.Bucket, Prefix = Prefix + "/" });
        return response.MultipartUploads ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (MultipartUpload upload in await UploadsInProgressAsync())
            {
                await Gateway.S3.AbortMultipartUploadAsync(Gateway.Bucket, upload.Key, upload.UploadId);
            }

            var request = new ListObjectsV2Request { BucketName = Gateway.Bucket, Prefix = Prefix + "/" };
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
        finally
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
