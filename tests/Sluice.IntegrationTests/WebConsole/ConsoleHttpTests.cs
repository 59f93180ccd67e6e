using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Sluice.IntegrationTests.Http;
using Sluice.Server.WebConsole;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.WebConsole;

/// <summary>
/// The console over plain HTTP: its page and every module it loads are served without a token,
/// under the strict policy, from the assembly; API routes still answer 401 problems; <c>/me</c>
/// tells a token what it may do.
/// </summary>
public sealed partial class ConsoleHttpTests : IAsyncLifetime
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

    [Fact]
    public async Task The_page_is_served_to_anyone_under_the_strict_policy()
    {
        using var response = await _anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/console/app.js\"></script>", html);
        // No inline script or style anywhere: every <script> has a src, and no element has a style attribute.
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("<style", html);
    }

    [Fact]
    public async Task Every_module_the_console_imports_is_served_and_none_reaches_outside()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(["/console/app.js"]);
        while (pending.TryDequeue(out string? path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            using var response = await _anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {response.StatusCode}");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            AssertSecurityHeaders(response);
            string script = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("innerHTML", script);
            Assert.DoesNotContain("eval(", script);
            foreach (Match import in ImportPattern().Matches(script))
            {
                string target = import.Groups["path"].Value;
                Assert.True(target.StartsWith("./", StringComparison.Ordinal) || target.StartsWith("../", StringComparison.Ordinal) || target.StartsWith("/console/", StringComparison.Ordinal),
                    $"{path} imports '{target}': only the console's own modules may be loaded");
                pending.Enqueue(new Uri(new Uri(_host.BaseAddress, path), target).AbsolutePath);
            }
        }

        // The shell, every section and the upload engine.
        foreach (string module in new[] { "app.js", "api.js", "ui.js", "multipart.js", "views/runs.js", "views/logs.js", "views/presign.js", "views/accounts.js", "views/tokens.js" })
        {
            Assert.Contains("/console/" + module, seen);
        }

        using var style = await _anonymous.GetAsync("/console/console.css");
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/console/nothing.js", HttpStatusCode.NotFound)]
    [InlineData("/console/Sluice.Server.dll", HttpStatusCode.NotFound)]
    [InlineData("/console/../tokens", HttpStatusCode.Unauthorized)]
    [InlineData("/console%2F..%2Ftokens", HttpStatusCode.Unauthorized)]
    public async Task Nothing_else_is_opened_with_it(string path, HttpStatusCode expected)
    {
        using var response = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, _host.RawUrl(path)));
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/tokens")]
    [InlineData("/artifacts")]
    [InlineData("/me")]
    [InlineData("/AwsAccount")]
    public async Task Api_routes_still_answer_401_problems_without_a_token(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html")); // as a browser asks
        using var response = await _anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Me_answers_the_callers_name_and_scope_and_never_a_secret()
    {
        using (var admin = await _host.Client.GetAsync("/me"))
        {
            var me = await ReadJsonAsync(admin, HttpStatusCode.OK);
            Assert.Equal("token", me.GetProperty("kind").GetString());
            Assert.True(me.GetProperty("scope").GetProperty("admin").GetBoolean());
            Assert.DoesNotContain(_host.AdminToken, me.GetRawText());
        }

        string token = await CreateTokenAsync(_host.Client,
            """{"name":"reader","accounts":["prod"],"buckets":["models"],"prefixes":["runs/"],"methods":["GET"],"max-expiration":600,"max-upload-bytes":1000}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _anonymous.SendAsync(request);
        var scoped = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("reader", scoped.GetProperty("name").GetString());
        var scope = scoped.GetProperty("scope");
        Assert.False(scope.GetProperty("admin").GetBoolean());
        Assert.Equal(["prod"], scope.GetProperty("accounts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["models"], scope.GetProperty("buckets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["runs/"], scope.GetProperty("prefixes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["GET"], scope.GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(600, scope.GetProperty("max-expiration").GetInt32());
        Assert.Equal(1000, scope.GetProperty("max-upload-bytes").GetInt64());
        Assert.DoesNotContain(token, scoped.GetRawText());
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(ContentSecurity.Policy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self';", ContentSecurity.Policy);
        Assert.Contains("style-src 'self';", ContentSecurity.Policy);
        Assert.DoesNotContain("unsafe", ContentSecurity.Policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    /// <summary><c>import … from './x.js'</c>, <c>import './x.js'</c> and <c>import('./x.js')</c>.</summary>
    [GeneratedRegex("""(?:\bfrom\s*|\bimport\s*\(?\s*)['"](?<path>[^'"]+\.js)['"]""")]
    private static partial Regex ImportPattern();
}
