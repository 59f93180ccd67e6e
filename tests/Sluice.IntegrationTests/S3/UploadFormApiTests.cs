using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.Core.Signing;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// <c>POST /aws/storage/{account}/{bucket}?form</c> through a real server: the form it signs is
/// accepted by the RADOS Gateway inside its limits and refused by the gateway itself outside them.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class UploadFormApiTests(RadosGatewayFixture fixture) : GatewayAccountTest(fixture, "form")
{

    [Fact]
    public async Task A_form_inside_the_limits_is_accepted_and_every_limit_is_enforced_by_the_gateway()
    {
        string prefix = $"forms/{Guid.NewGuid():N}/";
        var form = await SignAsync(Host.Client, $$"""{"prefix": "{{prefix}}", "contentTypePrefix": "image/", "minSize": 10, "maxSize": 1000, "successStatus": 201}""");
        Assert.Equal("201", form["success_action_status"]);

        byte[] image = RandomNumberGenerator.GetBytes(1000);
        using (var accepted = await BrowserFormPost.SendAsync(Gateway.Http, form, image, "photo.png", Fields(prefix + "photo.png", "image/png")))
        {
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        using (var stored = await Gateway.S3.GetObjectAsync(Gateway.Bucket, prefix + "photo.png"))
        {
            Assert.Equal("image/png", stored.Headers.ContentType);
            using var content = new MemoryStream();
            await stored.ResponseStream.CopyToAsync(content);
            Assert.Equal(image, content.ToArray());
        }

        // One byte over, the wrong type, a key outside the prefix: the gateway says no.
        using (var tooBig = await BrowserFormPost.SendAsync(Gateway.Http, form, new byte[1001], "big.png", Fields(prefix + "big.png", "image/png")))
        {
            Assert.True(tooBig.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, tooBig.StatusCode.ToString());
        }

        using (var wrongType = await BrowserFormPost.SendAsync(Gateway.Http, form, image, "page.html", Fields(prefix + "page.html", "text/html")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongType.StatusCode);
        }

        using (var outside = await BrowserFormPost.SendAsync(Gateway.Http, form, image, "x.png", Fields("elsewhere/x.png", "image/png")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        }

        var listed = await Gateway.S3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = Gateway.Bucket, Prefix = prefix });
        Assert.Equal([prefix + "photo.png"], (listed.S3Objects ?? []).Select(o => o.Key));
    }

    [Fact]
    public async Task The_tokens_scope_and_size_limit_bound_the_form()
    {
        using var create = await Host.Client.PostAsync("/tokens", Json("""{"name":"forms","prefixes":["avatars/"],"methods":["PUT"],"max-upload-bytes":5000}"""));
        string token = (await ReadJsonAsync(create, HttpStatusCode.Created)).GetProperty("token").GetString()!;
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, """{"prefix": "avatars/u1/", "maxSize": 5000}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, """{"prefix": "avatars/u1/"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, """{"prefix": "avatars/u1/", "maxSize": 5001}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, """{"prefix": "", "maxSize": 10}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, """{"filename": "other/a.png", "maxSize": 10}"""));
    }

    [Theory]
    [InlineData("""{"maxSize": 10}""", "filename")]
    [InlineData("""{"filename": "a", "prefix": "b/"}""", "filename")]
    [InlineData("""{"prefix": "a/", "minSize": 10, "maxSize": 5}""", "minSize")]
    [InlineData("""{"prefix": "a/", "successStatus": 302}""", "successStatus")]
    [InlineData("""{"prefix": "a/", "contentType": "image/png", "contentTypePrefix": "image/"}""", "contentTypePrefix")]
    [InlineData("""{"prefix": "a/", "acl": "public-read"}""", "acl")]
    public async Task Bad_form_requests_name_the_field(string body, string field)
    {
        using var response = await Host.Client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}?form", Json(body));
        await AssertValidationProblemAsync(response, field);
    }

    private async Task<HttpStatusCode> StatusAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}?form", Json(body));
        return response.StatusCode;
    }

    private async Task<PostPolicyForm> SignAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}?form&expiration=300", Json(body));
        JsonElement answer = await ReadJsonAsync(response, HttpStatusCode.OK);
        var fields = answer.GetProperty("fields").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
        return new PostPolicyForm(answer.GetProperty("url").GetString()!, fields, answer.GetProperty("expiresAt").GetDateTimeOffset());
    }

    private static Dictionary<string, string> Fields(string key, string contentType) => new() { ["key"] = key, ["Content-Type"] = contentType };
}
