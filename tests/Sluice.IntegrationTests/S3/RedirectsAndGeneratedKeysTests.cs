using System.Net;
using System.Text;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// <c>GET …?redirect=true</c> and uploads without a filename, through a real server to the RADOS
/// Gateway: the redirect is followed by a plain client, the generated key is where the bytes land.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class RedirectsAndGeneratedKeysTests(RadosGatewayFixture fixture) : GatewayAccountTest(fixture, "rgw")
{

    [Fact]
    public async Task A_generated_key_has_the_declared_types_extension_under_the_prefix_and_the_upload_lands_there()
    {
        using var response = await Host.Client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}", Json("""{"contentType": "image/png", "prefix": "avatars/"}"""));
        var answer = await ReadJsonAsync(response, HttpStatusCode.OK);
        string key = answer.GetProperty("key").GetString()!;
        Assert.Matches("^avatars/[a-z2-7]{26}\\.png$", key);
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];
        Assert.Equal("image/png", answer.GetProperty("headers").GetProperty("Content-Type").GetString()); // declared, so signed
        using (var put = new HttpRequestMessage(HttpMethod.Put, RadosGatewayFixture.ExactUri(answer.GetProperty("url").GetString()!)) { Content = new ByteArrayContent(png) })
        {
            put.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            using var uploaded = await Gateway.Http.SendAsync(put);
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        }

        using var stored = await Gateway.S3.GetObjectAsync(Gateway.Bucket, key);
        using var content = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(content);
        Assert.Equal(png, content.ToArray());

        // Two requests never get the same key; an unknown type gets no extension.
        var keys = new HashSet<string>();
        for (int i = 0; i < 50; i++)
        {
            using var another = await Host.Client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}", Json("""{"contentType": "application/x-made-up"}"""));
            string generated = (await ReadJsonAsync(another, HttpStatusCode.OK)).GetProperty("key").GetString()!;
            Assert.Matches("^[a-z2-7]{26}$", generated);
            Assert.True(keys.Add(generated));
        }
    }

    [Fact]
    public async Task Urls_from_a_batch_work_on_the_gateway()
    {
        string[] keys = [$"batch/{Guid.NewGuid():N}/a.txt", $"batch/{Guid.NewGuid():N}/b ü.txt", $"batch/{Guid.NewGuid():N}/c+d.txt"];
        string body = System.Text.Json.JsonSerializer.Serialize(new { method = "PUT", keys });
        using var response = await Host.Client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}?batch", Json(body));
        var urls = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("urls").EnumerateArray().ToList();
        Assert.Equal(keys, urls.Select(u => u.GetProperty("key").GetString()));
        foreach (var url in urls)
        {
            using var put = await Gateway.SendAsync(HttpMethod.Put, url.GetProperty("url").GetString()!, Encoding.UTF8.GetBytes(url.GetProperty("key").GetString()!));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        foreach (string key in keys)
        {
            using var stored = await Gateway.S3.GetObjectAsync(Gateway.Bucket, key);
            using var reader = new StreamReader(stored.ResponseStream);
            Assert.Equal(key, await reader.ReadToEndAsync());
        }
    }

    [Theory]
    [InlineData("""{"filename": "a.txt", "prefix": "x/"}""", "prefix")]
    [InlineData("""{"filename": null}""", "filename")]
    [InlineData("""{"contentType": "png"}""", "contentType")]
    [InlineData("""{"contentType": "image/png\r\nx-amz-acl: public-read"}""", "contentType")]
    [InlineData("""{"prefix": "a\u0001"}""", "prefix")]
    public async Task Bad_upload_fields_are_named(string body, string field)
    {
        using var response = await Host.Client.PostAsync($"/aws/storage/{Account}/{Gateway.Bucket}", Json(body));
        await AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task Redirect_answers_302_to_the_signed_url_and_a_browser_style_client_gets_the_bytes()
    {
        string key = $"redirect/{Guid.NewGuid():N}/photo ü.txt";
        await Gateway.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = Gateway.Bucket, Key = key, ContentBody = "the bytes" });
        string path = $"/aws/storage/{Account}/{Gateway.Bucket}/{Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal)}";

        using (var redirect = await Host.Client.GetAsync(path + "?redirect=true&expiration=120"))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Uri location = redirect.Headers.Location!;
            Assert.Contains("X-Amz-Expires=120&", location.Query, StringComparison.Ordinal);
            using var get = await Gateway.SendAsync(HttpMethod.Get, location.AbsoluteUri);
            Assert.Equal("the bytes", Encoding.UTF8.GetString(await get.Content.ReadAsByteArrayAsync()));
        }

        // The client that follows redirects itself (as <img src> does) ends at the bytes.
        using var following = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = true }) { BaseAddress = Host.BaseAddress };
        following.DefaultRequestHeaders.Authorization = Host.Client.DefaultRequestHeaders.Authorization;
        Assert.Equal("the bytes", await following.GetStringAsync(path + "?redirect=true"));

        using (var json = await Host.Client.GetAsync(path + "?redirect=false"))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        }

        using (var bad = await Host.Client.GetAsync(path + "?redirect=yes"))
        {
            await AssertValidationProblemAsync(bad, "redirect");
        }
    }
}
