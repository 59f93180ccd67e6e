using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs.Specialized;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Credentials;
using Sluice.Core.Transfers;

namespace Sluice.Core.Providers.Azure;

/// <summary>
/// <see cref="IObjectStore"/> on one Azure Blob Storage container, through Azure.Storage.Blobs. What
/// S3 has and Azure has not is kept where the service keeps it:
/// <list type="bullet">
/// <item>An object's ETag, for the seam, is its content digest, as an S3 ETag is: the blob's
/// Content-MD5 (the service stores it for a blob written whole), or for a blob committed from parts
/// S3's multipart ETag (MD5 of the parts' MD5s, <c>-N</c>), kept in its metadata. A read pinned to an
/// ETag is refused when the blob the answer comes from has another.</item>
/// <item>An upload in parts is uncommitted blocks whose ids carry the upload, the part and its MD5
/// (<see cref="BlockIds"/>), and a marker blob under <see cref="UploadMarkers"/> that names the key,
/// so that open uploads can be listed and an aborted one is gone. Listings leave the markers out.</item>
/// </list>
/// <paramref name="signer"/> is null when the store's credential cannot sign (a SAS token); <paramref name="owned"/>
/// is disposed with the store (the HTTP connections of <see cref="Connect"/>).
/// </summary>
public sealed class AzureObjectStore(BlobContainerClient container, BlobSasSigner? signer, Uri serviceUrl, IDisposable? owned = null) : IObjectStore
{
    /// <summary>Where the markers of open uploads are: one empty blob per upload, its key in the metadata.</summary>
    public const string UploadMarkers = ".sluice-uploads/";

    private const string ETagMetadata = "sluiceetag";
    private const string KeyMetadata = "sluicekey";
    private const string ContentTypeMetadata = "sluicecontenttype";

    /// <summary>A <c>wasb</c> artifact store's container, for transfers: connections enough for the transfer's concurrency.</summary>
    public static AzureObjectStore Connect(WasbStoreConnection connection, TransferOptions options)
    {
        HttpClient http = StoreHttpClients.Create(verifySsl: true, options.Concurrency + 4, StoreHttpClients.RequestTimeout);
        var clientOptions = new BlobClientOptions { Transport = new HttpClientTransport(http) };
        clientOptions.Retry.MaxRetries = 4;
        Uri service = new(connection.ServiceUri.AbsoluteUri.TrimEnd('/'));
        string container = connection.Store.Bucket;
        if (connection.Credential == WasbCredential.SasToken)
        {
            var client = new BlobServiceClient(service, new AzureSasCredential(connection.SasToken!), clientOptions);
            return new AzureObjectStore(client.GetBlobContainerClient(container), null, connection.ServiceUri, http);
        }

        var keyed = new BlobServiceClient(service, new StorageSharedKeyCredential(connection.AccountName, Convert.ToBase64String(connection.AccountKey!)), clientOptions);
        return new AzureObjectStore(keyed.GetBlobContainerClient(container), new BlobSasSigner(connection.AccountName, connection.AccountKey!), connection.ServiceUri, http);
    }

    public string Bucket => container.Name;

    public bool WantsSha256 => false;

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken, string? startAfter = null)
    {
        var objects = new List<StoredObject>();
        await Call(async () =>
        {
            await foreach (BlobItem item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
            {
                if (item.Name.StartsWith(UploadMarkers, StringComparison.Ordinal) || (startAfter is not null && string.CompareOrdinal(item.Name, startAfter) <= 0))
                {
                    continue;
                }

                var (etag, _) = Identity(item.Metadata, item.Properties.ContentHash, item.Properties.ETag ?? default);
                objects.Add(new StoredObject(item.Name, item.Properties.ContentLength ?? 0, etag, item.Properties.LastModified));
            }
        });
        objects.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return objects;
    }

    public async Task<IReadOnlyList<string>> ListDirectoriesAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken)
    {
        // The service has no "start after" for a hierarchy listing: its pages come in name order, so stop once enough are past it.
        var directories = new List<string>();
        await Call(async () =>
        {
            await foreach (BlobHierarchyItem item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken))
            {
                if (item.IsPrefix && item.Prefix != UploadMarkers && (startAfter is null || string.CompareOrdinal(item.Prefix, startAfter) > 0))
                {
                    directories.Add(item.Prefix);
                    if (directories.Count >= max)
                    {
                        break;
                    }
                }
            }
        });
        directories.Sort(string.CompareOrdinal);
        return directories;
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = (await container.GetBlobClient(key).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            var (etag, _) = Identity(properties.Metadata, properties.ContentHash, properties.ETag);
            return new StoredObject(key, properties.ContentLength, etag, properties.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e)
        {
            throw AzureFailures.Translate(e);
        }
    }

    public async Task<FetchedObject> GetAsync(string key, (long First, long Last)? range, string? ifMatch, CancellationToken cancellationToken)
    {
        var options = new BlobDownloadOptions();
        if (range is { } r)
        {
            options.Range = new HttpRange(r.First, r.Last - r.First + 1);
        }

        BlobDownloadStreamingResult download = await Call(async () => (await container.GetBlobClient(key).DownloadStreamingAsync(options, cancellationToken)).Value);
        BlobDownloadDetails details = download.Details;
        byte[]? wholeMd5 = range is null ? details.ContentHash : details.BlobContentHash;
        var (etag, isDigest) = Identity(details.Metadata, wholeMd5, details.ETag);
        if (ifMatch is not null && ContentETag.Normalize(ifMatch) != ContentETag.Normalize(etag))
        {
            download.Dispose();
            throw new ObjectStoreException(ObjectStoreFailure.PreconditionFailed, 412, "ConditionNotMet", $"412 ConditionNotMet: {key} is no longer the object read before (ETag {etag}, not {ifMatch})");
        }

        return new FetchedObject(download.Content, details.ContentLength, etag.Trim('"'), isDigest, download);
    }

    /// <remarks>
    /// With a digest the bytes go as one block that the service checks against its MD5, then are
    /// committed with that MD5 as the blob's (the SDK's one-request upload cannot carry an MD5
    /// computed beforehand); without one, in one Put Blob, and the service computes the MD5.
    /// </remarks>
    public async Task<ObjectReceipt> PutAsync(ObjectPut put, CancellationToken cancellationToken)
    {
        BlockBlobClient blob = container.GetBlockBlobClient(put.Key);
        var headers = new BlobHttpHeaders { ContentType = put.ContentType, ContentHash = put.Digest?.Md5 };
        BlobRequestConditions? conditions = put.OnlyIfAbsent ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : put.IfMatch is { } ifMatch ? new BlobRequestConditions { IfMatch = await ServiceETagAsync(blob, ifMatch, cancellationToken) }
            : null;
        if (put.Digest is not { } digest)
        {
            BlobContentInfo written = await Call(async () => (await blob.UploadAsync(put.Content, new BlobUploadOptions { HttpHeaders = headers, Conditions = conditions }, cancellationToken)).Value);
            return written.ContentHash is { Length: 16 } md5
                ? new ObjectReceipt("\"" + Convert.ToHexStringLower(md5) + "\"", ETagIsContentDigest: true)
                : new ObjectReceipt(written.ETag.ToString("H"), ETagIsContentDigest: false);
        }

        string block = BlockIds.For(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(BlockIds.UploadIdLength / 2)), 1, digest.Md5);
        await Call(async () => await blob.StageBlockAsync(block, put.Content, new BlockBlobStageBlockOptions
        {
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = digest.Md5 },
        }, cancellationToken));
        await Call(async () => await blob.CommitBlockListAsync([block], new CommitBlockListOptions { HttpHeaders = headers, Conditions = conditions }, cancellationToken));
        return new ObjectReceipt("\"" + Convert.ToHexStringLower(digest.Md5) + "\"", ETagIsContentDigest: true);
    }

    /// <summary>
    /// The service's own ETag of the blob whose seam ETag is <paramref name="ifMatch"/>, to make the
    /// write conditional on it (a blob changed in between fails the write with 412, as S3's If-Match).
    /// </summary>
    private static async Task<ETag> ServiceETagAsync(BlockBlobClient blob, string ifMatch, CancellationToken cancellationToken)
    {
        BlobProperties properties = await Call(async () => (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value);
        var (etag, _) = Identity(properties.Metadata, properties.ContentHash, properties.ETag);
        if (ContentETag.Normalize(etag) != ContentETag.Normalize(ifMatch))
        {
            throw new ObjectStoreException(ObjectStoreFailure.PreconditionFailed, 412, "ConditionNotMet", $"412 ConditionNotMet: {blob.Name} is no longer the object read before (ETag {etag}, not {ifMatch})");
        }

        return properties.ETag;
    }

    public Task DeleteAsync(IReadOnlyList<string> keys, int parallelism, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (key, ct) =>
            await Call(async () => (await container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: ct)).Value));

    public async Task<string> StartUploadAsync(string key, string? contentType, CancellationToken cancellationToken)
    {
        string uploadId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(BlockIds.UploadIdLength / 2));
        var metadata = new Dictionary<string, string>
        {
            [KeyMetadata] = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)), // metadata is ASCII; a key need not be
        };
        if (contentType is not null)
        {
            metadata[ContentTypeMetadata] = Convert.ToBase64String(Encoding.UTF8.GetBytes(contentType));
        }

        await Call(async () => await container.GetBlockBlobClient(UploadMarkers + uploadId)
            .UploadAsync(Stream.Null, new BlobUploadOptions { Metadata = metadata, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken));
        return uploadId;
    }

    public IPartTarget PartsOf(string key, string uploadId) => new AzurePartTarget(container.GetBlockBlobClient(key), uploadId);

    public async Task<IReadOnlyList<StoredPart>> ListPartsAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        await MarkerAsync(key, uploadId, cancellationToken);
        BlockList blocks;
        try
        {
            blocks = (await container.GetBlockBlobClient(key).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return []; // no block staged yet, and no blob
        }
        catch (RequestFailedException e)
        {
            throw AzureFailures.Translate(e);
        }

        // A part sent twice with other bytes has two blocks: the later one counts, as S3 keeps the last upload of a part.
        var parts = new SortedDictionary<int, StoredPart>();
        foreach (BlobBlock block in blocks.UncommittedBlocks)
        {
            if (BlockIds.TryRead(block.Name, uploadId, out int number, out string md5))
            {
                parts[number] = new StoredPart(number, "\"" + md5 + "\"", block.SizeLong);
            }
        }

        return [.. parts.Values];
    }

    public async Task<ObjectReceipt> CompleteUploadAsync(string key, string uploadId, IReadOnlyList<StoredPart> parts, CancellationToken cancellationToken)
    {
        BlobProperties marker = await MarkerAsync(key, uploadId, cancellationToken);
        byte[] md5s = new byte[16 * parts.Count];
        var ids = new List<string>(parts.Count);
        for (int i = 0; i < parts.Count; i++)
        {
            string md5 = ContentETag.Normalize(parts[i].ETag);
            if (!ContentETag.IsMd5(md5))
            {
                throw new ObjectStoreException(ObjectStoreFailure.Refused, 400, "InvalidBlockList", $"400 InvalidBlockList: part {parts[i].PartNumber}'s ETag is not the MD5 of a block");
            }

            Convert.FromHexString(md5).CopyTo(md5s, 16 * i);
            ids.Add(BlockIds.For(uploadId, parts[i].PartNumber, md5s.AsSpan(16 * i, 16)));
        }

        string etag = ContentETag.Multipart(md5s, parts.Count);
        var options = new CommitBlockListOptions
        {
            Metadata = new Dictionary<string, string> { [ETagMetadata] = etag },
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = marker.Metadata.TryGetValue(ContentTypeMetadata, out string? type) ? Encoding.UTF8.GetString(Convert.FromBase64String(type)) : null,
            },
        };
        await Call(async () => await container.GetBlockBlobClient(key).CommitBlockListAsync(ids, options, cancellationToken));
        await Call(async () => await container.GetBlobClient(UploadMarkers + uploadId).DeleteIfExistsAsync(cancellationToken: cancellationToken));
        return new ObjectReceipt("\"" + etag + "\"", ETagIsContentDigest: true);
    }

    /// <remarks>The upload's blocks stay uncommitted until the service drops them (a week) or the blob is next committed; none can be read.</remarks>
    public async Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        await MarkerAsync(key, uploadId, cancellationToken);
        await Call(async () => await container.GetBlobClient(UploadMarkers + uploadId).DeleteIfExistsAsync(cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<PendingUpload>> ListUploadsAsync(string prefix, CancellationToken cancellationToken)
    {
        var uploads = new List<PendingUpload>();
        await Call(async () =>
        {
            await foreach (BlobItem marker in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, UploadMarkers, cancellationToken))
            {
                if (KeyOf(marker.Metadata) is { } key && key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    uploads.Add(new PendingUpload(key, marker.Name[UploadMarkers.Length..], marker.Properties.CreatedOn));
                }
            }
        });
        return uploads;
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await container.GetPropertiesAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ObjectStoreException(ObjectStoreFailure.NotFound, 404, e.ErrorCode, $"404 NoSuchBucket: the container {container.Name} does not exist ({e.ErrorCode})", e);
        }
        catch (RequestFailedException e)
        {
            throw AzureFailures.Translate(e);
        }
    }

    /// <exception cref="CredentialSourceException">The store's credential is a SAS token, which cannot sign links.</exception>
    public ValueTask<IUrlSigner> UrlSignerAsync(CancellationToken cancellationToken) => signer is null
        ? throw new CredentialSourceException($"container {container.Name} is reached with a SAS token, which cannot sign links: give the store the account key (AZURE_ACCOUNT_KEY or a connection string with AccountKey)")
        : ValueTask.FromResult<IUrlSigner>(new AzureUrlSigner(signer, serviceUrl));

    public void Dispose() => owned?.Dispose();

    /// <summary>The seam's ETag of a blob, and whether it is a digest of the bytes: see the class remarks.</summary>
    private static (string ETag, bool IsDigest) Identity(IDictionary<string, string>? metadata, byte[]? md5, ETag etag) =>
        metadata is not null && metadata.TryGetValue(ETagMetadata, out string? multipart) ? ("\"" + multipart + "\"", true)
        : md5 is { Length: 16 } ? ("\"" + Convert.ToHexStringLower(md5) + "\"", true)
        : (etag.ToString("H"), false);

    private static string? KeyOf(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(KeyMetadata, out string? encoded) ? Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;

    /// <summary>The marker of an open upload of <paramref name="key"/>; <see cref="ObjectStoreFailure.NoSuchUpload"/> when there is none.</summary>
    private async Task<BlobProperties> MarkerAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        if (BlockIds.IsUploadId(uploadId))
        {
            try
            {
                BlobProperties marker = (await container.GetBlobClient(UploadMarkers + uploadId).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
                if (KeyOf(marker.Metadata) == key)
                {
                    return marker;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
            catch (RequestFailedException e)
            {
                throw AzureFailures.Translate(e);
            }
        }

        throw new ObjectStoreException(ObjectStoreFailure.NoSuchUpload, 404, "NoSuchUpload", $"404 NoSuchUpload: no open upload {uploadId} of {key}");
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException e)
        {
            throw AzureFailures.Translate(e);
        }
    }

    private static async Task Call(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RequestFailedException e)
        {
            throw AzureFailures.Translate(e);
        }
    }
}
