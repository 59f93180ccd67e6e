using Sluice.Core.Transfers;

namespace Sluice.Core.Providers;

/// <summary>
/// The data-plane calls a transfer makes on one bucket (S3) or container (Azure, GCS), whatever the
/// store: list, head, get a range, put, delete, and uploads in parts. Failures the store reports
/// come as <see cref="ObjectStoreException"/> (with a <see cref="ObjectStoreFailure"/> to act on);
/// a broken connection stays an <see cref="HttpRequestException"/> or <see cref="IOException"/>.
/// </summary>
public interface IObjectStore : IDisposable
{
    /// <summary>The bucket or container every key is in.</summary>
    string Bucket { get; }

    /// <summary>Whether puts and parts must carry the SHA-256 of their bytes (a payload signed here); the caller computes it in the same pass as the MD5.</summary>
    bool WantsSha256 { get; }

    /// <summary>Every object whose key starts with <paramref name="prefix"/> (and sorts after <paramref name="startAfter"/>), in key order.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken, string? startAfter = null);

    /// <summary>
    /// The "directories" right under <paramref name="prefix"/>: each distinct next segment of the keys
    /// there, as the prefix ending in '/' (<c>runs/run-1/</c>), sorted, after <paramref name="startAfter"/>,
    /// at most <paramref name="max"/>. Keys right under the prefix are not directories.
    /// </summary>
    Task<IReadOnlyList<string>> ListDirectoriesAsync(string prefix, string? startAfter, int max, CancellationToken cancellationToken);

    /// <summary>The object at <paramref name="key"/>, or null when there is none.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>An object, or a byte range of it, pinned to <paramref name="ifMatch"/> when one is given.</summary>
    /// <param name="range">Inclusive first and last byte, or null for the whole object.</param>
    Task<FetchedObject> GetAsync(string key, (long First, long Last)? range, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>Writes one object whole; with <see cref="ObjectPut.OnlyIfAbsent"/>, fails with <see cref="ObjectStoreFailure.PreconditionFailed"/> when the key is taken.</summary>
    Task<ObjectReceipt> PutAsync(ObjectPut put, CancellationToken cancellationToken);

    /// <summary>Deletes exactly these keys (a key that is not there is no error), at most <paramref name="parallelism"/> requests at once.</summary>
    Task DeleteAsync(IReadOnlyList<string> keys, int parallelism, CancellationToken cancellationToken);

    /// <summary>Starts an upload in parts; the answer is its id.</summary>
    Task<string> StartUploadAsync(string key, string? contentType, CancellationToken cancellationToken);

    /// <summary>Where the parts of that upload go, for <see cref="MultipartSender"/>.</summary>
    IPartTarget PartsOf(string key, string uploadId);

    /// <summary>The parts the upload holds, by number; <see cref="ObjectStoreFailure.NoSuchUpload"/> when it is gone.</summary>
    Task<IReadOnlyList<StoredPart>> ListPartsAsync(string key, string uploadId, CancellationToken cancellationToken);

    /// <summary>Makes the object from these parts (ascending numbers, with the ETags their uploads answered).</summary>
    Task<ObjectReceipt> CompleteUploadAsync(string key, string uploadId, IReadOnlyList<StoredPart> parts, CancellationToken cancellationToken);

    /// <summary>Frees an upload's parts; <see cref="ObjectStoreFailure.NoSuchUpload"/> when there is no such upload.</summary>
    Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken);

    /// <summary>Uploads started under <paramref name="prefix"/> and neither completed nor aborted.</summary>
    Task<IReadOnlyList<PendingUpload>> ListUploadsAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>One cheap authenticated call that proves the bucket can be reached with these credentials.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>A signer of URLs for this store's objects, with the store's current credentials.</summary>
    ValueTask<IUrlSigner> UrlSignerAsync(CancellationToken cancellationToken);
}
