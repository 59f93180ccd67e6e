using System.Net;
using Sluice.Core.Signing;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// <c>Sluice:Signer=aws-sdk</c> (for load comparisons) answers through the same API with the AWS
/// SDK's URLs, which carry the same signature ours does at the same signing time.
/// </summary>
public sealed class SdkSignerOptionTests
{
    [Theory]
    [InlineData("GET", "documents/report (final).pdf")]
    [InlineData("DELETE", "a b/c+d/é")]
    public async Task The_AWS_SDK_signer_gives_URLs_equal_to_ours(string method, string key)
    {
        await using var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sluice:Signer"] = "aws-sdk" });
        await PutAccountAsync(host.Client, "sdk", "region: eu-west-1\naccess-key-id: AKIASDKSIGNER\nsecret-access-key: sdk-signer-secret\n");

        using var request = new HttpRequestMessage(new HttpMethod(method), "/aws/storage/sdk/my-bucket/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString)));
        using var response = await host.Client.SendAsync(request);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);
        var url = PresignedUrl.Parse(body.GetProperty("url").GetString()!);

        Assert.Equal("my-bucket.s3.eu-west-1.amazonaws.com", url.Authority);
        ObjectMethodNames.TryParse(method, out var s3Method);
        string ours = url.Resign(s3Method, "https", "my-bucket.s3.eu-west-1.amazonaws.com", "/", key, "eu-west-1", new SigningCredentials("AKIASDKSIGNER", "sdk-signer-secret"), url.ExpiresInSeconds);
        Assert.Equal(PresignedUrl.Parse(ours)["X-Amz-Signature"], url["X-Amz-Signature"]);
        Assert.InRange(url.ExpiresInSeconds, 86399, 86400);
    }

    [Fact]
    public async Task An_unknown_signer_stops_the_start()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SluiceTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sluice:Signer"] = "other" }));
        Assert.Contains("Sluice:Signer must be sluice or aws-sdk", failure.ToString());
    }
}
