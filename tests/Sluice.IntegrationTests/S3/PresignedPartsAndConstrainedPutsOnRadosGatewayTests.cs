using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// UploadPart URLs and PUT URLs constrained to a type and size, against the RADOS Gateway: a
/// multipart upload made of parts sent with plain HTTP to our URLs completes with the right
/// bytes, and the gateway itself refuses a part URL pointed at another part and a PUT whose
/// declared type or size is not the signed one.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class PresignedPartsAndConstrainedPutsOnRadosGatewayTests(RadosGatewayFixture gateway)
{
    private const int PartSize = 5 << 20;

    [Fact]
    public async Task MultipartUpload_ThroughPresignedPartUrls_StoresTheBytes()
    {
        string key = $"multipart/{Guid.NewGuid():N}.bin";
        int[] sizes = [PartSize, PartSize, PartSize, 1_234_567];
        byte[] body = RandomNumberGenerator.GetBytes(sizes.Sum());
        InitiateMultipartUploadResponse upload = await gateway.S3.InitiateMultipartUploadAsync(gateway.Bucket, key);

        var etags = new List<PartETag>();
        int offset = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            int partNumber = i + 1;
            byte[] part = body.AsSpan(offset, sizes[i]).ToArray();
            offset += sizes[i];

            // Part 1 is a bare part URL; the others also pin the part's size.
            PresignRequest request = Request(ObjectMethod.Put, key) with
            {
                UploadId = upload.UploadId,
                PartNumber = partNumber,
                ContentLength = partNumber == 1 ? null : part.Length,
            };
            string url = gateway.Presigner.Presign(request);
            Assert.Contains($"&partNumber={partNumber}&uploadId=", url, StringComparison.Ordinal);

            using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Put, url, part);
            await AssertStatus(HttpStatusCode.OK, response);
            string etag = Assert.Single(response.Headers.GetValues("ETag"));
            etags.Add(new PartETag(partNumber, etag));
        }

        await gateway.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = gateway.Bucket,
            Key = key,
            UploadId = upload.UploadId,
            PartETags = etags,
        });

        using GetObjectResponse stored = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Equal(body.Length, copy.Length);
        Assert.True(body.AsSpan().SequenceEqual(copy.ToArray()), "the completed object differs from the bytes sent");
        Assert.EndsWith($"-{sizes.Length}\"", stored.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartUrl_WithAnotherPartNumber_IsRefused()
    {
        string key = $"multipart-tampered/{Guid.NewGuid():N}.bin";
        InitiateMultipartUploadResponse upload = await gateway.S3.InitiateMultipartUploadAsync(gateway.Bucket, key);
        try
        {
            string url = gateway.Presigner.Presign(Request(ObjectMethod.Put, key) with { UploadId = upload.UploadId, PartNumber = 1 });
            string tampered = url.Replace("&partNumber=1&", "&partNumber=2&", StringComparison.Ordinal);
            Assert.NotEqual(url, tampered);
            byte[] part = RandomNumberGenerator.GetBytes(1000);

            using (HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Put, tampered, part))
            {
                await AssertRefused(response);
            }

            ListPartsResponse none = await gateway.S3.ListPartsAsync(gateway.Bucket, key, upload.UploadId);
            Assert.Empty(none.Parts ?? []);

            using (HttpResponseMessage control = await gateway.SendAsync(HttpMethod.Put, url, part))
            {
                await AssertStatus(HttpStatusCode.OK, control);
            }

            ListPartsResponse one = await gateway.S3.ListPartsAsync(gateway.Bucket, key, upload.UploadId);
            Assert.Equal(1, Assert.Single(one.Parts).PartNumber);
        }
        finally
        {
            await gateway.S3.AbortMultipartUploadAsync(gateway.Bucket, key, upload.UploadId);
        }
    }

    [Fact]
    public async Task ConstrainedPut_WithTheSignedTypeAndLength_IsAccepted()
    {
        string key = $"constrained/{Guid.NewGuid():N}.png";
        byte[] body = RandomNumberGenerator.GetBytes(4096);
        string url = gateway.Presigner.Presign(Request(ObjectMethod.Put, key) with { ContentType = "image/png", ContentLength = body.Length });

        using (HttpResponseMessage response = await PutAsync(url, body, "image/png"))
        {
            await AssertStatus(HttpStatusCode.OK, response);
        }

        using GetObjectResponse stored = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        Assert.Equal("image/png", stored.Headers.ContentType);
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Theory]
    [InlineData("image/jpeg", 0)]
    [InlineData("image/png; charset=binary", 0)]
    [InlineData(null, 0)]
    [InlineData("image/png", 1)]
    [InlineData("image/png", -1)]
    public async Task ConstrainedPut_WithAnotherTypeOrLength_IsRefused(string? sentType, int lengthDelta)
    {
        string key = $"constrained-refused/{Guid.NewGuid():N}.png";
        const int SignedLength = 4096;
        string url = gateway.Presigner.Presign(Request(ObjectMethod.Put, key) with { ContentType = "image/png", ContentLength = SignedLength });

        using (HttpResponseMessage response = await PutAsync(url, RandomNumberGenerator.GetBytes(SignedLength + lengthDelta), sentType))
        {
            await AssertRefused(response);
        }

        using HttpResponseMessage gone = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key));
        await AssertStatus(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task TypeOnlyConstraint_AcceptsAnyLengthButNotAnotherType()
    {
        string key = $"type-only/{Guid.NewGuid():N}.txt";
        string url = gateway.Presigner.Presign(Request(ObjectMethod.Put, key) with { ContentType = "text/plain; charset=utf-8" });

        using (HttpResponseMessage wrong = await PutAsync(url, "x"u8.ToArray(), "text/html; charset=utf-8"))
        {
            await AssertRefused(wrong);
        }

        using (HttpResponseMessage right = await PutAsync(url, RandomNumberGenerator.GetBytes(12_345), "text/plain; charset=utf-8"))
        {
            await AssertStatus(HttpStatusCode.OK, right);
        }
    }

    private PresignRequest Request(ObjectMethod method, string key)
    {
        BucketAddress address = gateway.Endpoint.Locate(gateway.Bucket);
        return new PresignRequest(method, address.Scheme, address.Authority, address.PathPrefix, key, gateway.Region, gateway.Credentials, 300);
    }

    /// <summary>A PUT with the Content-Type header sent byte for byte as given (or none).</summary>
    private async Task<HttpResponseMessage> PutAsync(string url, byte[] body, string? contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, RadosGatewayFixture.ExactUri(url)) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        }

        Assert.Equal(body.Length, request.Content.Headers.ContentLength);
        return await gateway.Http.SendAsync(request);
    }

    private static async Task AssertStatus(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>403 SignatureDoesNotMatch or AccessDenied: RGW 16 with STS enabled answers a mismatch with the latter.</summary>
    private static async Task AssertRefused(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        Assert.True(
            body.Contains("<Code>SignatureDoesNotMatch</Code>", StringComparison.Ordinal) || body.Contains("<Code>AccessDenied</Code>", StringComparison.Ordinal),
            $"expected SignatureDoesNotMatch or AccessDenied, got: {body}");
    }
}
