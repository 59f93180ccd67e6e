using System.Net;
using Sluice.IntegrationTests.Http;
using Sluice.Server.WebConsole;

namespace Sluice.IntegrationTests.Browser;

/// <summary>The upload page over plain HTTP: open to all with its security headers, and nothing else opened with it.</summary>
public sealed class UploadPageHttpTests : IAsyncLifetime
{
    private SluiceTestHost _host = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _host = await SluiceTestHost.StartAsync();
        _anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("/upload", "text/html", "<form id=\"form\"")]
    [InlineData("/upload/upload.js", "text/javascript", "from '/console/multipart.js'")]
    [InlineData("/console/multipart.js", "text/javascript", "partNumbers=")]
    [InlineData("/upload/upload.css", "text/css", "progress")]
    public async Task The_page_and_its_files_are_served_without_a_token_under_a_strict_policy(string path, string mediaType, string excerpt)
    {
        using var response = await _anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(excerpt, await response.Content.ReadAsStringAsync());
        Assert.Equal(UploadPageEndpoints.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self';", UploadPageEndpoints.ContentSecurityPolicy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/upload/other.js")]
    [InlineData("/uploads")]
    [InlineData("/upload/../tokens")]
    public async Task Nothing_else_is_opened_with_it(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _host.RawUrl(path));
        using var response = await _anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_page_itself_takes_no_other_method()
    {
        using var response = await _anonymous.PostAsync("/upload", new StringContent("token=x"));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.MethodNotAllowed, response.StatusCode.ToString());
    }
}
