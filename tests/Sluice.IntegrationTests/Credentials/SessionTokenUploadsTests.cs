using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.IntegrationTests.S3;
using Xunit.Abstractions;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// Form uploads and part URLs signed with real temporary credentials from the gateway's STS:
/// the session token travels in the form (and in the policy) or in the URL, and without it
/// the same keys are refused.
/// </summary>
[Collection(StsCredentialsCollection.Name)]
public sealed class SessionTokenUploadsTests(StsGatewayFixture gateway, ITestOutputHelper output)
{
    [Fact]
    public async Task PostPolicy_SignedWithASession_CarriesItsToken()
    {
        TemporaryKeys session = await gateway.AssumeRoleAsync(900);
        S3Endpoint endpoint = Endpoint();
        string key = $"post-session/{Guid.NewGuid():N}.txt";
        byte[] file = RandomNumberGenerator.GetBytes(100);
        var signer = new PostPolicySigner(TimeProvider.System);
        var withToken = new SigningCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        PostPolicyForm form = signer.Sign(new PostPolicyRequest(endpoint, gateway.Bucket, withToken, DateTimeOffset.UtcNow.AddMinutes(5))
        {
            Key = key,
            ContentLength = new ContentLengthRange(1, 1000),
            ContentType = "text/plain",
        });
        Assert.Equal(session.SessionToken, form["x-amz-security-token"]);

        // Control: the session's keys without its token.
        PostPolicyForm tokenless = signer.Sign(new PostPolicyRequest(endpoint, gateway.Bucket, new SigningCredentials(session.AccessKeyId, session.SecretAccessKey), DateTimeOffset.UtcNow.AddMinutes(5))
        {
            Key = key,
            ContentLength = new ContentLengthRange(1, 1000),
            ContentType = "text/plain",
        });
        using (HttpResponseMessage refused = await BrowserFormPost.SendAsync(gateway.Http, tokenless, file))
        {
            string body = await refused.Content.ReadAsStringAsync();
            output.WriteLine($"without the token: {(int)refused.StatusCode} {body}");
            Assert.True((int)refused.StatusCode is >= 400 and < 500, $"expected a refusal, got {(int)refused.StatusCode}: {body}");
        }

        using (HttpResponseMessage response = await BrowserFormPost.SendAsync(gateway.Http, form, file))
        {
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using GetObjectResponse stored = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Equal(file, copy.ToArray());
        Assert.Equal("text/plain", stored.Headers.ContentType);
    }

    [Fact]
    public async Task PartUrl_SignedWithASession_UploadsThePart()
    {
        TemporaryKeys session = await gateway.AssumeRoleAsync(900);
        string key = $"part-session/{Guid.NewGuid():N}.bin";
        InitiateMultipartUploadResponse upload = await gateway.S3.InitiateMultipartUploadAsync(gateway.Bucket, key);
        try
        {
            byte[] part = RandomNumberGenerator.GetBytes(1000);
            BucketAddress address = Endpoint().Locate(gateway.Bucket);
            string url = new SigV4Presigner(TimeProvider.System).Presign(
                new PresignRequest(ObjectMethod.Put, address.Scheme, address.Authority, address.PathPrefix, key, gateway.Region,
                    new SigningCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), 300)
                {
                    UploadId = upload.UploadId,
                    PartNumber = 7,
                    ContentLength = part.Length,
                });

            using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Put, url, part);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            ListPartsResponse parts = await gateway.S3.ListPartsAsync(gateway.Bucket, key, upload.UploadId);
            Assert.Equal(7, Assert.Single(parts.Parts).PartNumber);
        }
        finally
        {
            await gateway.S3.AbortMultipartUploadAsync(gateway.Bucket, key, upload.UploadId);
        }
    }

    private S3Endpoint Endpoint() => new(
        gateway.Region,
        EndpointHost.TryParse(gateway.HostAndPort, out var host, out _) ? host : throw new InvalidOperationException(),
        PathStyle: true,
        UseSsl: false);
}
