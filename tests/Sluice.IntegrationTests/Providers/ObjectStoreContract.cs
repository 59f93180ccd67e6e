using System.Net;
using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.IntegrationTests.Providers;

/// <summary>
/// What every <see cref="IObjectStore"/> must do, against a real server: one class per store
/// and way of connecting derives from this and gives the store and a fresh key prefix. A second
/// cloud's store is done when it passes these unchanged.
/// </summary>
public abstract class ObjectStoreContract : IAsyncLifetime
{
    private const int PartBytes = 5 * 1024 * 1024;
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-store-contract-").FullName;

    /// <summary>The store under test; disposed with the test.</summary>
    protected abstract IObjectStore Store { get; }

    /// <summary>A prefix no other test writes under, ending in '/'.</summary>
    protected string Prefix { get; } = $"contract/{Guid.NewGuid():N}/";

    /// <summary>GETs a signed URL with a plain HTTP client (no credentials of its own).</summary>
    protected abstract Task<HttpResponseMessage> FetchAsync(string url);

    /// <summary>The same store's kind on a bucket that does not exist.</summary>
    protected abstract IObjectStore StoreOfMissingBucket();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_put_object_is_listed_headed_and_read_whole_and_by_range()
    {
        byte[] body = RandomNumberGenerator.GetBytes(100_000);
        string key = Prefix + "dir/a file ü+%.bin";
        ObjectReceipt receipt = await PutAsync(key, body, withDigest: true);

        string md5 = Convert.ToHexStringLower(MD5.HashData(body));
        Assert.Equal(md5, ContentETag.Normalize(receipt.ETag));
        Assert.True(receipt.ETagIsContentDigest);

        StoredObject head = Assert.IsType<StoredObject>(await Store.HeadAsync(key, CancellationToken.None));
        Assert.Equal(body.Length, head.Size);
        Assert.Equal(md5, ContentETag.Normalize(head.ETag));

        StoredObject listed = Assert.Single(await Store.ListAsync(Prefix + "dir/", CancellationToken.None));
        Assert.Equal(key, listed.Key);
        Assert.Equal(body.Length, listed.Size);

        Assert.Equal(body, await ReadAsync(key, range: null, ifMatch: null));
        Assert.Equal(body[1000..2001], await ReadAsync(key, (1000, 2000), ifMatch: head.ETag));
    }

    [Fact]
    public async Task A_missing_object_is_null_to_head_and_not_found_to_get()
    {
        Assert.Null(await Store.HeadAsync(Prefix + "nothing", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<ObjectStoreException>(() => Store.GetAsync(Prefix + "nothing", null, null, CancellationToken.None));
        Assert.Equal(ObjectStoreFailure.NotFound, missing.Failure);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task A_read_pinned_to_another_etag_fails_its_precondition()
    {
        string key = Prefix + "pinned";
        await PutAsync(key, Encoding.UTF8.GetBytes("first"), withDigest: true);
        var changed = await Assert.ThrowsAsync<ObjectStoreException>(
            () => Store.GetAsync(key, (0, 1), "\"" + Convert.ToHexStringLower(MD5.HashData("other"u8)) + "\"", CancellationToken.None));
        Assert.Equal(ObjectStoreFailure.PreconditionFailed, changed.Failure);
    }

    [Fact]
    public async Task A_put_only_if_absent_refuses_a_taken_key_and_keeps_the_first_bytes()
    {
        string key = Prefix + "chunk";
        byte[] first = Encoding.UTF8.GetBytes("first writer");
        using (var stream = new MemoryStream(first))
        {
            await Store.PutAsync(new ObjectPut(key, stream, null, "text/plain", OnlyIfAbsent: true), CancellationToken.None);
        }

        using var second = new MemoryStream(Encoding.UTF8.GetBytes("second writer"));
        var taken = await Assert.ThrowsAsync<ObjectStoreException>(
            () => Store.PutAsync(new ObjectPut(key, second, null, "text/plain", OnlyIfAbsent: true), CancellationToken.None));
        Assert.Equal(ObjectStoreFailure.PreconditionFailed, taken.Failure);
        Assert.Equal(first, await ReadAsync(key, null, null));
    }

    [Fact]
    public async Task A_put_whose_digest_is_not_of_its_bytes_is_refused_and_stores_nothing()
    {
        string key = Prefix + "corrupt";
        byte[] body = Encoding.UTF8.GetBytes("the bytes sent");
        var wrong = new PayloadDigest(MD5.HashData("other bytes"u8), Store.WantsSha256 ? Convert.ToHexStringLower(SHA256.HashData("other bytes"u8)) : null);
        using var stream = new MemoryStream(body);
        var refused = await Assert.ThrowsAsync<ObjectStoreException>(() => Store.PutAsync(new ObjectPut(key, stream, wrong, null), CancellationToken.None));
        Assert.Equal(400, refused.Status);
        Assert.Null(await Store.HeadAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Listing_after_a_key_skips_it_and_what_sorts_before()
    {
        foreach (string name in new[] { "b", "a", "c" })
        {
            await PutAsync(Prefix + "sorted/" + name, Encoding.UTF8.GetBytes(name), withDigest: false);
        }

        var all = await Store.ListAsync(Prefix + "sorted/", CancellationToken.None);
        Assert.Equal(["a", "b", "c"], all.Select(o => o.Key[(Prefix.Length + 7)..]));
        var after = await Store.ListAsync(Prefix + "sorted/", CancellationToken.None, startAfter: Prefix + "sorted/a");
        Assert.Equal(["b", "c"], after.Select(o => o.Key[(Prefix.Length + 7)..]));
    }

    [Fact]
    public async Task Deleting_keys_removes_them_and_a_missing_key_is_no_error()
    {
        await PutAsync(Prefix + "del/1", [1], withDigest: false);
        await PutAsync(Prefix + "del/2", [2], withDigest: false);
        await PutAsync(Prefix + "keep", [3], withDigest: false);

        await Store.DeleteAsync([Prefix + "del/1", Prefix + "del/2", Prefix + "del/never-was"], parallelism: 2, CancellationToken.None);

        Assert.Empty(await Store.ListAsync(Prefix + "del/", CancellationToken.None));
        Assert.NotNull(await Store.HeadAsync(Prefix + "keep", CancellationToken.None));
    }

    [Fact]
    public async Task An_upload_in_parts_is_listed_while_open_and_completes_into_the_exact_bytes()
    {
        string key = Prefix + "multi/big.bin";
        string path = WriteFile("big.bin", PartBytes + 12_345);
        var layout = new PartLayout(PartBytes + 12_345, PartBytes);
        string uploadId = await Store.StartUploadAsync(key, "application/x-test", CancellationToken.None);

        PendingUpload pending = Assert.Single(await Store.ListUploadsAsync(Prefix + "multi/", CancellationToken.None));
        Assert.Equal((key, uploadId), (pending.Key, pending.UploadId));

        using var slots = new SemaphoreSlim(2);
        SentParts sent = await new MultipartSender(Store.PartsOf(key, uploadId), slots, new NoProgress())
            .SendAsync(path, layout, new Dictionary<int, StoredPart>(), CancellationToken.None);
        IReadOnlyList<StoredPart> stored = await Store.ListPartsAsync(key, uploadId, CancellationToken.None);
        Assert.Equal([(1, (long)PartBytes), (2, 12_345L)], stored.Select(p => (p.PartNumber, p.Size)));

        var parts = sent.ETags.Select((etag, i) => new StoredPart(i + 1, etag, layout.Length(i + 1))).ToList();
        ObjectReceipt done = await Store.CompleteUploadAsync(key, uploadId, parts, CancellationToken.None);

        Assert.Equal(ContentETag.Multipart(sent.Md5s, 2), ContentETag.Normalize(done.ETag));
        Assert.Equal(await File.ReadAllBytesAsync(path), await ReadAsync(key, null, null));
        Assert.Empty(await Store.ListUploadsAsync(Prefix + "multi/", CancellationToken.None));
    }

    [Fact]
    public async Task A_completion_naming_a_wrong_part_etag_is_refused()
    {
        string key = Prefix + "refused.bin";
        string path = WriteFile("small.bin", 1000);
        string uploadId = await Store.StartUploadAsync(key, null, CancellationToken.None);
        using var slots = new SemaphoreSlim(1);
        await new MultipartSender(Store.PartsOf(key, uploadId), slots, new NoProgress())
            .SendAsync(path, new PartLayout(1000, PartBytes), new Dictionary<int, StoredPart>(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ObjectStoreException>(
            () => Store.CompleteUploadAsync(key, uploadId, [new StoredPart(1, "\"00000000000000000000000000000000\"", 1000)], CancellationToken.None));
        Assert.Equal(ObjectStoreFailure.Refused, refused.Failure);
        await Store.AbortUploadAsync(key, uploadId, CancellationToken.None);
    }

    [Fact]
    public async Task An_aborted_or_unknown_upload_is_no_such_upload()
    {
        string key = Prefix + "aborted.bin";
        string uploadId = await Store.StartUploadAsync(key, null, CancellationToken.None);
        await Store.AbortUploadAsync(key, uploadId, CancellationToken.None);

        foreach (string id in new[] { uploadId, "2~not-an-upload" })
        {
            Assert.Equal(ObjectStoreFailure.NoSuchUpload, (await Assert.ThrowsAsync<ObjectStoreException>(() => Store.ListPartsAsync(key, id, CancellationToken.None))).Failure);
            Assert.Equal(ObjectStoreFailure.NoSuchUpload, (await Assert.ThrowsAsync<ObjectStoreException>(() => Store.AbortUploadAsync(key, id, CancellationToken.None))).Failure);
        }

        Assert.Empty(await Store.ListUploadsAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task The_probe_passes_on_the_bucket_and_fails_on_a_missing_one()
    {
        await Store.ProbeAsync(CancellationToken.None);
        using IObjectStore missing = StoreOfMissingBucket();
        var failed = await Assert.ThrowsAsync<ObjectStoreException>(() => missing.ProbeAsync(CancellationToken.None));
        Assert.Equal(404, failed.Status);
        Assert.Contains("NoSuchBucket", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_signer_makes_urls_the_server_honours_and_a_tampered_one_it_refuses()
    {
        string key = Prefix + "signed/report ü.txt";
        byte[] body = Encoding.UTF8.GetBytes("signed bytes");
        await PutAsync(key, body, withDigest: true);

        IUrlSigner signer = await Store.UrlSignerAsync(CancellationToken.None);
        string url = signer.Sign(Store.Bucket, key, ObjectMethod.Get, 300, DateTimeOffset.UtcNow);
        using (HttpResponseMessage ok = await FetchAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(body, await ok.Content.ReadAsByteArrayAsync());
        }

        using HttpResponseMessage tampered = await FetchAsync(url.Replace("signed/report", "signed/other", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    private async Task<ObjectReceipt> PutAsync(string key, byte[] body, bool withDigest)
    {
        using var stream = new MemoryStream(body, writable: false);
        PayloadDigest? digest = withDigest ? PayloadDigest.Of(body, Store.WantsSha256) : null;
        return await Store.PutAsync(new ObjectPut(key, stream, digest, "application/octet-stream"), CancellationToken.None);
    }

    private async Task<byte[]> ReadAsync(string key, (long, long)? range, string? ifMatch)
    {
        using FetchedObject fetched = await Store.GetAsync(key, range, ifMatch, CancellationToken.None);
        using var copy = new MemoryStream();
        await fetched.Body.CopyToAsync(copy);
        Assert.Equal(copy.Length, fetched.ContentLength);
        return copy.ToArray();
    }

    private string WriteFile(string name, int size)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    private sealed class NoProgress : IPartProgress
    {
        public void Compared(int kept, long keptBytes, int different)
        {
        }

        public void Sent(int partNumber, int partCount, long bytes)
        {
        }

        public void Retrying(int partNumber, string reason)
        {
        }
    }
}
