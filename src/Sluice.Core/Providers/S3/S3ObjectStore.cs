using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Core.Transfers;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// One S3 bucket behind <see cref="IObjectStore"/>, through the AWS SDK's client; whole-object and
/// ranged GETs go over a plain HttpClient on our own presigned URLs when the store was connected
/// for transfers (see <see cref="PresignedObjectFetcher"/>). S3's errors become
/// <see cref="ObjectStoreException"/>s (<see cref="S3Failures"/>). Over HTTPS, a body sent with its
/// Content-MD5 goes unsigned (TLS and the MD5 protect it, and a SHA-256 pass is saved); over plain
/// HTTP it is signed with the SHA-256 the caller computed with the MD5, so nothing reads it twice.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private const int DeleteBatchSize = 1000;

    private readonly IAmazonS3 _s3;
    private readonly S3Endpoint _endpoint;
    private readonly Func<CancellationToken, ValueTask<SigningCredentials>>? _credentials;
    private readonly bool _ownsClient;
    private readonly HttpClient? _http;
    private readonly PresignedObjectFetcher? _fetcher;
    private readonly bool _unsignedPayload;
    private readonly SigV4Presigner _presigner = new(TimeProvider.System);

    /// <summary>Where the payload is signed, a client that takes the SHA-256 we computed (see <see cref="StoreS3Client"/>); otherwise null.</summary>
    private readonly StoreS3Client? _hashTaker;

    /// <param name="credentials">The credentials the client signs with, as our presigner takes them; null: this store signs no URLs.</param>
    public S3ObjectStore(IAmazonS3 s3, string bucket, S3Endpoint endpoint, Func<CancellationToken, ValueTask<SigningCredentials>>? credentials = null, bool ownsClient = false)
        : this(s3, bucket, endpoint, credentials, ownsClient, http: null)
    {
    }

    private S3ObjectStore(IAmazonS3 s3, string bucket, S3Endpoint endpoint, Func<CancellationToken, ValueTask<SigningCredentials>>? credentials, bool ownsClient, HttpClient? http)
    {
        _s3 = s3;
        Bucket = bucket;
        _endpoint = endpoint;
        _credentials = credentials;
        _ownsClient = ownsClient;
        _unsignedPayload = endpoint.UseSsl;
        _hashTaker = _unsignedPayload ? null : s3 as StoreS3Client;
        if (http is not null && credentials is not null)
        {
            _http = http;
            _fetcher = new PresignedObjectFetcher(http, _presigner, endpoint, bucket, credentials);
        }
    }

    /// <summary>An artifact store's bucket, for transfers: the client of <see cref="StoreClientFactory"/>, credentials resolved first.</summary>
    /// <exception cref="StoreConnectionException">The store has no usable credentials.</exception>
    public static async Task<S3ObjectStore> ConnectAsync(
        S3StoreConnection connection, TransferOptions options, CredentialEnvironment environment, CancellationToken cancellationToken, CachedCredentialProvider? defaultChain = null)
    {
        StoreClients clients = await StoreClientFactory.CreateAsync(connection, options, environment, cancellationToken, defaultChain);
        HttpClient http = StoreHttpClients.Create(connection.VerifySsl, options.Concurrency + 4, StoreClientFactory.RequestTimeout);
        return new S3ObjectStore(clients.S3, connection.Store.Bucket, connection.Endpoint, clients.Credentials, ownsClient: true, http);
    }

    public string Bucket { get; }

    public bool WantsSha256 => _hashTaker is not null;

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken, string? startAfter = null)
    {
        var objects = new List<StoredObject>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 1000, StartAfter = startAfter };
        ListObjectsV2Response page;
        do
        {
            page = await CallAsync(() => _s3.ListObjectsV2Async(request, cancellationToken));
            foreach (S3Object item in page.S3Objects ?? [])
            {
                objects.Add(new StoredObject(item.Key, item.Size ?? 0, item.ETag ?? "", item.LastModified));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));

        return objects;
    }

    public async Task<IReadOnlyList<string>> ListDirectoriesAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken)
    {
        var directories = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, Delimiter = "/", MaxKeys = Math.Min(1000, max), StartAfter = startAfter };
        ListObjectsV2Response page;
        do
        {
            page = await CallAsync(() => _s3.ListObjectsV2Async(request, cancellationToken));
            directories.AddRange((page.CommonPrefixes ?? []).Where(directory => startAfter is null || string.CompareOrdinal(directory, startAfter) > 0));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (directories.Count < max && page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));

        directories.Sort(string.CompareOrdinal);
        return directories.Count > max ? directories.GetRange(0, max) : directories;
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return new StoredObject(key, response.ContentLength, response.ETag ?? "", response.LastModified);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonServiceException e)
        {
            throw S3Failures.Translate(e);
        }
        catch (AmazonClientException e)
        {
            throw S3Failures.Translate(e);
        }
    }

    public async Task<FetchedObject> GetAsync(string key, (long First, long Last)? range, string? ifMatch, CancellationToken cancellationToken)
    {
        if (_fetcher is not null)
        {
            return await _fetcher.FetchAsync(key, range, ifMatch, cancellationToken);
        }

        var request = new GetObjectRequest { BucketName = Bucket, Key = key, EtagToMatch = ifMatch };
        if (range is var (first, last))
        {
            request.ByteRange = new ByteRange(first, last);
        }

        GetObjectResponse response = await CallAsync(() => _s3.GetObjectAsync(request, cancellationToken));
        return new FetchedObject(
            response.ResponseStream, response.ContentLength, ContentETag.Normalize(response.ETag), ContentETag.IsContentDigest(response.ServerSideEncryptionMethod), response);
    }

    public async Task<ObjectReceipt> PutAsync(ObjectPut put, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = put.Key,
            InputStream = put.Content,
            AutoCloseStream = false,
            ContentType = put.ContentType,
        };
        if (put.OnlyIfAbsent)
        {
            request.IfNoneMatch = "*";
        }

        if (put.IfMatch is { } etag)
        {
            request.IfMatch = ContentETag.Normalize(etag); // as GetObject's EtagToMatch: the RADOS Gateway compares it unquoted
        }

        if (put.Digest is { } digest)
        {
            request.MD5Digest = Convert.ToBase64String(digest.Md5);
            request.DisablePayloadSigning = !SignsPayload(request, digest);
        }

        PutObjectResponse response = await CallAsync(() => _s3.PutObjectAsync(request, cancellationToken));
        return new ObjectReceipt(response.ETag ?? "", ContentETag.IsContentDigest(response.ServerSideEncryptionMethod));
    }

    public Task DeleteAsync(IReadOnlyList<string> keys, int parallelism, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(keys.Chunk(DeleteBatchSize), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var request = new DeleteObjectsRequest
            {
                BucketName = Bucket,
                Quiet = true,
                Objects = batch.Select(key => new KeyVersion { Key = key }).ToList(),
            };
            DeleteObjectsResponse response = await CallAsync(() => _s3.DeleteObjectsAsync(request, token));
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                DeleteError first = errors[0];
                throw new ObjectStoreException(
                    ObjectStoreFailure.Other, null, first.Code, $"{errors.Count} objects could not be deleted; the first, {first.Key}: {first.Code} {first.Message}");
            }
        });

    public async Task<string> StartUploadAsync(string key, string? contentType, CancellationToken cancellationToken) =>
        (await CallAsync(() => _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = contentType }, cancellationToken))).UploadId;

    public IPartTarget PartsOf(string key, string uploadId) => new SdkPartTarget(this, key, uploadId);

    /// <summary>One part with its Content-MD5, the payload unsigned or signed as <see cref="PutAsync"/>'s.</summary>
    internal async Task<PartReceipt> UploadPartAsync(string key, string uploadId, PartBody part, CancellationToken cancellationToken)
    {
        await using Stream content = part.OpenRead();
        var request = new UploadPartRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = part.Number,
            InputStream = content,
            PartSize = part.Length,
            MD5Digest = Convert.ToBase64String(part.Digest.Md5),
        };
        request.DisablePayloadSigning = !SignsPayload(request, part.Digest);
        UploadPartResponse response = await CallAsync(() => _s3.UploadPartAsync(request, cancellationToken), upload: true);
        return new PartReceipt(response.ETag, ContentETag.IsContentDigest(response.ServerSideEncryptionMethod));
    }

    public async Task<IReadOnlyList<StoredPart>> ListPartsAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        var parts = new List<StoredPart>();
        var request = new ListPartsRequest { BucketName = Bucket, Key = key, UploadId = uploadId };
        ListPartsResponse page;
        do
        {
            page = await CallAsync(() => _s3.ListPartsAsync(request, cancellationToken), upload: true);
            foreach (PartDetail part in page.Parts ?? [])
            {
                parts.Add(new StoredPart(part.PartNumber ?? 0, part.ETag ?? "", part.Size ?? -1));
            }

            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (page.IsTruncated == true && page.NextPartNumberMarker is > 0);

        return parts;
    }

    public async Task<ObjectReceipt> CompleteUploadAsync(string key, string uploadId, IReadOnlyList<StoredPart> parts, CancellationToken cancellationToken)
    {
        var request = new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = parts.Select(p => new PartETag(p.PartNumber, p.ETag)).ToList(),
        };
        CompleteMultipartUploadResponse response = await CallAsync(() => _s3.CompleteMultipartUploadAsync(request, cancellationToken), upload: true);
        if (!string.IsNullOrEmpty(response.ETag))
        {
            return new ObjectReceipt(response.ETag, ContentETag.IsContentDigest(response.ServerSideEncryptionMethod));
        }

        // Some servers (RGW) answer the completion without an ETag: the object's own says what was made.
        GetObjectMetadataResponse head = await CallAsync(() => _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken));
        return new ObjectReceipt(head.ETag ?? "", ContentETag.IsContentDigest(head.ServerSideEncryptionMethod));
    }

    public async Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        // S3 answers 204 for an upload it does not know: look first, so a wrong id is NoSuchUpload.
        await CallAsync(() => _s3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = key, UploadId = uploadId, MaxParts = 1 }, cancellationToken), upload: true);
        await CallAsync(() => _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, cancellationToken), upload: true);
    }

    public async Task<IReadOnlyList<PendingUpload>> ListUploadsAsync(string prefix, CancellationToken cancellationToken)
    {
        var uploads = new List<PendingUpload>();
        var request = new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = prefix };
        ListMultipartUploadsResponse page;
        do
        {
            page = await CallAsync(() => _s3.ListMultipartUploadsAsync(request, cancellationToken));
            foreach (MultipartUpload upload in page.MultipartUploads ?? [])
            {
                uploads.Add(new PendingUpload(upload.Key, upload.UploadId, upload.Initiated));
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextKeyMarker));

        return uploads;
    }

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        CallAsync(() => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 }, cancellationToken));

    /// <exception cref="InvalidOperationException">A store made on the caller's own client without credentials.</exception>
    public async ValueTask<IUrlSigner> UrlSignerAsync(CancellationToken cancellationToken)
    {
        if (_credentials is null)
        {
            throw new InvalidOperationException($"the store of bucket {Bucket} was made without credentials to sign with");
        }

        SigningCredentials credentials = await _credentials(cancellationToken);
        return new S3UrlSigner(_presigner, new PostPolicySigner(TimeProvider.System), _endpoint, credentials);
    }

    /// <summary>Whether the payload is signed: over HTTPS it goes unsigned (its Content-MD5 is checked); otherwise with the SHA-256 computed already, when the client takes it.</summary>
    private bool SignsPayload(AmazonWebServiceRequest request, PayloadDigest digest)
    {
        if (_unsignedPayload)
        {
            return false;
        }

        if (digest.Sha256Hex is { } sha256)
        {
            _hashTaker?.UsePayloadHash(request, sha256);
        }

        return true;
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, bool upload = false)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException e)
        {
            throw S3Failures.Translate(e, upload);
        }
        catch (AmazonClientException e)
        {
            throw S3Failures.Translate(e);
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
            _http?.Dispose();
        }
    }
}
