using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.S3;
using Sluice.Server.Hosting;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// The artifact HTTP API on a real Kestrel listener, with the stores file and mounted secret of an
/// <see cref="ArtifactsWorkspace"/>, against each real store (the classes at the end of the file):
/// the tree, download links (followed for real), deletes, and token scopes.
/// </summary>
public abstract class ArtifactsHttpTests
{
    private const string Run = "run-http";
    private static readonly HttpClient Plain = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    /// <summary>A fresh workspace on the store under test.</summary>
    protected abstract ArtifactsWorkspace NewWorkspace();

    /// <summary>Asserts that a link says, in its store's own terms, that it lasts <paramref name="seconds"/>.</summary>
    protected abstract void AssertLinkLasts(Uri link, int seconds);

    /// <summary>The store's secret with a key its server refuses.</summary>
    protected abstract Dictionary<string, string> WithWrongKey(Dictionary<string, string> right);

    [Fact]
    public async Task The_tree_has_sizes_links_download_the_bytes_and_deletes_remove_files_and_directories()
    {
        await using var workspace = NewWorkspace();
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "model", "weights.bin"), 300_000);
        LocalTree.WriteText(Path.Combine(tree, "eval", "metrics.json"), "{\"acc\":0.9}");
        LocalTree.WriteText(Path.Combine(tree, "eval", "plots", "roc curve ü.svg"), "<svg/>");
        LocalTree.WriteText(Path.Combine(tree, "empty.txt"), "");
        var push = await workspace.RunAsync(Run, "push", tree);
        Assert.True(push.ExitCode == 0, push.ToString());
        await using var host = await StartAsync(workspace);

        // The whole run: directories first, sizes and counts summed up.
        var whole = await GetJsonAsync(host, $"/artifacts/{ArtifactsWorkspace.StoreName}/runs/{Run}/tree", HttpStatusCode.OK);
        Assert.Equal(ArtifactsWorkspace.StoreName, whole.GetProperty("store").GetString());
        JsonElement root = whole.GetProperty("tree");
        Assert.Equal(("directory", Run, "", 300_000L + 11 + 6, 4), Describe(root));
        JsonElement outputs = root.GetProperty("children").EnumerateArray().Single();
        Assert.Equal(("directory", "outputs", "outputs", 300_017L, 4), Describe(outputs));
        Assert.Equal(["eval", "model", "empty.txt"], outputs.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        // A directory, and a file: a file is its own root.
        var eval = (await GetJsonAsync(host, Tree("outputs/eval/"), HttpStatusCode.OK)).GetProperty("tree");
        Assert.Equal(("directory", "eval", "outputs/eval", 17L, 2), Describe(eval));
        var svg = (await GetJsonAsync(host, Tree("outputs/eval/plots/roc curve ü.svg"), HttpStatusCode.OK)).GetProperty("tree");
        Assert.Equal("file", svg.GetProperty("type").GetString());
        Assert.Equal(6, svg.GetProperty("size").GetInt64());

        // A link: JSON, then the bytes from the gateway; ?redirect=true: the same link as Location.
        var link = await GetJsonAsync(host, Files("outputs/model/weights.bin"), HttpStatusCode.OK);
        Assert.Equal("GET", link.GetProperty("method").GetString());
        byte[] downloaded = await Plain.GetByteArrayAsync(link.GetProperty("url").GetString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(tree, "model", "weights.bin")), downloaded);
        using (var redirect = await host.Client.GetAsync(Files("outputs/eval/plots/roc curve ü.svg") + "&redirect=true&expiration=60"))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Uri location = redirect.Headers.Location!;
            AssertLinkLasts(location, 60);
            Assert.Equal("<svg/>", await Plain.GetStringAsync(location));
        }

        // Not there, a directory, or outside the run's layout: the 4xx says which.
        using (var missing = await host.Client.GetAsync(Files("outputs/nothing.bin")))
        {
            Assert.Contains("nothing at 'outputs/nothing.bin'", (await ReadProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        }

        using (var directory = await host.Client.GetAsync(Files("outputs/eval")))
        {
            await AssertValidationProblemAsync(directory, "path");
        }

        using (var badRedirect = await host.Client.GetAsync(Files("outputs/model/weights.bin") + "&redirect=yes&expiration=0"))
        {
            await AssertValidationProblemAsync(badRedirect, "redirect", "expiration");
        }

        foreach (string bad in new[] { "../other-run/outputs/x", "/outputs/x", "outputs/a/../b", "secrets/x", "outputs//x" })
        {
            using var refused = await host.Client.GetAsync(Files(bad));
            await AssertValidationProblemAsync(refused, "path");
        }

        using (var badRun = await host.Client.GetAsync($"/artifacts/{ArtifactsWorkspace.StoreName}/runs/{new string('r', 256)}/tree"))
        {
            await AssertValidationProblemAsync(badRun, "run");
        }

        using (var noStore = await host.Client.GetAsync($"/artifacts/no-such-store/runs/{Run}/tree"))
        {
            Assert.Contains(ArtifactsWorkspace.StoreName, (await ReadProblemAsync(noStore, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        }

        // Delete a file, then a directory: the gateway holds neither after.
        var deletedFile = await SendJsonAsync(host, HttpMethod.Delete, Files("outputs/empty.txt"), HttpStatusCode.OK);
        Assert.Equal(1, deletedFile.GetProperty("files").GetInt32());
        var deletedDirectory = await SendJsonAsync(host, HttpMethod.Delete, Files("outputs/eval"), HttpStatusCode.OK);
        Assert.Equal((2, 17L), (deletedDirectory.GetProperty("files").GetInt32(), deletedDirectory.GetProperty("bytes").GetInt64()));
        Assert.Equal(["outputs/model/weights.bin"], (await workspace.ListRunAsync(Run)).Keys);
        using (var again = await host.Client.DeleteAsync(Files("outputs/eval")))
        {
            await ReadProblemAsync(again, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_stores_runs_are_listed_page_by_page_with_sizes_and_only_those_a_token_may_read()
    {
        await using var workspace = NewWorkspace();
        for (int i = 1; i <= 5; i++)
        {
            await workspace.WriteTextAsync($"run-{i}", "outputs/a.txt", new string('x', i * 10));
        }

        await workspace.WriteTextAsync("run-3", "plxlogs/1.0.plx", "12345");
        await workspace.Store.WriteTextAsync($"{workspace.Prefix}/loose.txt", "a file beside the runs is not a run");
        await using var host = await StartAsync(workspace);
        string runs = $"/artifacts/{ArtifactsWorkspace.StoreName}/runs";

        JsonElement first = await GetJsonAsync(host, runs + "?limit=2", HttpStatusCode.OK);
        Assert.Equal([("run-1", 1, 10L), ("run-2", 1, 20L)], Runs(first));
        Assert.All(first.GetProperty("runs").EnumerateArray(), run => Assert.True(run.GetProperty("lastModified").TryGetDateTimeOffset(out _)));
        Assert.Equal("run-2", first.GetProperty("next").GetString());
        JsonElement second = await GetJsonAsync(host, runs + "?limit=2&after=run-2", HttpStatusCode.OK);
        Assert.Equal([("run-3", 2, 35L), ("run-4", 1, 40L)], Runs(second));
        JsonElement last = await GetJsonAsync(host, runs + "?limit=2&after=" + second.GetProperty("next").GetString(), HttpStatusCode.OK);
        Assert.Equal([("run-5", 1, 50L)], Runs(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);
        Assert.Equal(5, Runs(await GetJsonAsync(host, runs, HttpStatusCode.OK)).Count);

        // A token limited to one run sees that run; one for another store is refused; bad paging is named.
        string oneRun = await CreateTokenAsync(host.Client, $$"""{"name":"one","accounts":["{{ArtifactsWorkspace.StoreName}}"],"prefixes":["{{workspace.Prefix}}/run-3/"],"methods":["GET"]}""");
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, runs)))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", oneRun);
            using var response = await Plain.SendAsync(request);
            Assert.Equal([("run-3", 2, 35L)], Runs(await ReadJsonAsync(response, HttpStatusCode.OK)));
        }

        string otherStore = await CreateTokenAsync(host.Client, """{"name":"other","accounts":["another-store"]}""");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, otherStore, HttpMethod.Get, runs));
        await AssertValidationProblemAsync(await host.Client.GetAsync(runs + "?limit=0"), "limit");
        await AssertValidationProblemAsync(await host.Client.GetAsync(runs + "?after=a%2Fb"), "after");
        await ReadProblemAsync(await host.Client.GetAsync("/artifacts/no-such-store/runs"), HttpStatusCode.NotFound);
    }

    private static List<(string Name, int Files, long Size)> Runs(JsonElement page) =>
        page.GetProperty("runs").EnumerateArray().Select(run => (run.GetProperty("name").GetString()!, run.GetProperty("files").GetInt32(), run.GetProperty("size").GetInt64())).ToList();

    [Fact]
    public async Task Token_scopes_apply_with_the_store_in_place_of_the_account()
    {
        await using var workspace = NewWorkspace();
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteText(Path.Combine(tree, "public", "report.txt"), "report");
        LocalTree.WriteText(Path.Combine(tree, "private", "secret.txt"), "secret");
        Assert.Equal(0, (await workspace.RunAsync(Run, "push", tree)).ExitCode);
        await using var host = await StartAsync(workspace);
        string prefix = $"{workspace.Prefix}/{Run}/outputs/public/";
        string reader = await CreateTokenAsync(host.Client, $$"""{"name":"reader","accounts":["{{ArtifactsWorkspace.StoreName}}"],"prefixes":["{{prefix}}"],"methods":["GET"],"max-expiration":600}""");
        string otherStore = await CreateTokenAsync(host.Client, """{"name":"other","accounts":["another-store"]}""");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, reader, HttpMethod.Get, Tree("outputs/public")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, reader, HttpMethod.Get, Files("outputs/public/report.txt")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, Files("outputs/private/secret.txt")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, Tree("outputs")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, Files("outputs/public/report.txt") + "&expiration=601"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Delete, Files("outputs/public/report.txt")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, otherStore, HttpMethod.Get, Tree(null)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, null, HttpMethod.Get, Tree(null)));

        // The store list shows a token only the stores it may use.
        Assert.Equal([ArtifactsWorkspace.StoreName], await StoreNamesAsync(host, reader));
        Assert.Empty(await StoreNamesAsync(host, otherStore));
        Assert.Equal(2, (await workspace.ListRunAsync(Run)).Count); // nothing was deleted
    }

    [Fact]
    public async Task A_rotated_secret_is_used_without_a_restart()
    {
        await using var workspace = NewWorkspace();
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteText(Path.Combine(tree, "report.txt"), "report");
        Assert.Equal(0, (await workspace.RunAsync(Run, "push", tree)).ExitCode);
        await using var host = await StartAsync(workspace);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, host.AdminToken, HttpMethod.Get, Tree(null)));

        // The kubelet swaps the mounted files when the Secret changes: here, to a key the gateway refuses...
        workspace.MountSecret(ArtifactsWorkspace.SecretName, WithWrongKey(workspace.StoreKeys()));
        using (var refused = await host.Client.GetAsync(Tree(null)))
        {
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.DoesNotContain(WrongKey, await refused.Content.ReadAsStringAsync());
        }

        // ...and back to the right one: the next request uses it.
        workspace.MountSecret(ArtifactsWorkspace.SecretName, workspace.StoreKeys());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, host.AdminToken, HttpMethod.Get, Tree(null)));
    }

    [Fact]
    public async Task A_wrong_stores_file_stops_the_start_with_its_line()
    {
        string directory = Directory.CreateTempSubdirectory("sluice-stores-").FullName;
        try
        {
            string config = Path.Combine(directory, "stores.yaml");
            await File.WriteAllTextAsync(config, "artifactsStore:\n  name: s3-artifacts\n  kind: gcs\n  schema:\n    bucket: \"s3://bucket/\"\n");
            var error = await Assert.ThrowsAnyAsync<Exception>(() => SluiceTestHost.StartAsync(settings: ArtifactsWorkspace.ServerSettings(config, directory)));
            Assert.Contains("stores.yaml line 3", error.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_uploads_into_a_run_in_presigned_parts_within_the_tokens_scope()
    {
        await using var workspace = NewWorkspace();
        await using var host = await StartAsync(workspace);
        const string path = "outputs/upload/data ü.bin";
        string writer = await CreateTokenAsync(host.Client,
            $$"""{"name":"writer","accounts":["{{ArtifactsWorkspace.StoreName}}"],"prefixes":["{{workspace.Prefix}}/{{Run}}/outputs/"],"methods":["PUT","GET"]}""");
        string reader = await CreateTokenAsync(host.Client, $$"""{"name":"reader","accounts":["{{ArtifactsWorkspace.StoreName}}"],"methods":["GET"]}""");

        using var start = await SendAsync(host, writer, HttpMethod.Post, Files(path) + "&uploads", """{"contentType":"application/octet-stream"}""");
        if (workspace.Store.Kind != "s3")
        {
            // A SAS cannot bind a block: the upload is refused before anything is written.
            var refused = await AssertValidationProblemAsync(start, "store");
            Assert.Contains("S3 store", refused.GetProperty("detail").GetString());
            Assert.Empty(await workspace.ListRunAsync(Run));
            return;
        }

        var created = await ReadJsonAsync(start, HttpStatusCode.Created);
        Assert.Equal($"{workspace.Prefix}/{Run}/{path}", created.GetProperty("key").GetString());
        string uploadId = created.GetProperty("uploadId").GetString()!;
        string upload = Files(path) + "&uploadId=" + Uri.EscapeDataString(uploadId);

        // Every step needs PUT on the file's key: a reader may do none of them, a writer nothing outside outputs/.
        using (var readerStart = await SendAsync(host, reader, HttpMethod.Post, Files(path) + "&uploads", "{}"))
        {
            await ReadProblemAsync(readerStart, HttpStatusCode.Forbidden);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, upload + "&partNumbers=1"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Delete, upload));
        using (var outside = await SendAsync(host, writer, HttpMethod.Post, Files("assets/x.bin") + "&uploads", "{}"))
        {
            await ReadProblemAsync(outside, HttpStatusCode.Forbidden);
        }

        // A declared type goes to the store as a header: one it could not carry is the client's 400, not the store's failure.
        using (var badType = await SendAsync(host, writer, HttpMethod.Post, Files(path) + "&uploads", """{"contentType":"text/plain\r\nX-Injected: 1"}"""))
        {
            await AssertValidationProblemAsync(badType, "contentType");
        }

        byte[] first = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        byte[] second = RandomNumberGenerator.GetBytes(1234);
        using var signing = await SendAsync(host, writer, HttpMethod.Get, upload + "&partNumbers=1-2&expiration=600", null);
        var urls = (await ReadJsonAsync(signing, HttpStatusCode.OK)).GetProperty("parts").EnumerateArray()
            .ToDictionary(p => p.GetProperty("partNumber").GetInt32(), p => p.GetProperty("url").GetString()!);
        Assert.Equal([1, 2], urls.Keys.Order());
        string etag2 = await PutPartAsync(urls[2], second);
        string etag1 = await PutPartAsync(urls[1], first);

        using var listing = await SendAsync(host, writer, HttpMethod.Get, upload, null);
        var listed = (await ReadJsonAsync(listing, HttpStatusCode.OK)).GetProperty("parts").EnumerateArray()
            .Select(p => (p.GetProperty("partNumber").GetInt32(), p.GetProperty("size").GetInt64())).ToList();
        Assert.Equal([(1, first.Length), (2, second.Length)], listed);

        using var refusedAgain = await SendAsync(host, writer, HttpMethod.Post, Files(path), "{}");
        await AssertValidationProblemAsync(refusedAgain, "uploads");
        string parts = JsonSerializer.Serialize(new { parts = new[] { new { partNumber = 1, etag = etag1 }, new { partNumber = 2, etag = etag2 } } });
        using var completing = await SendAsync(host, writer, HttpMethod.Post, upload, parts);
        var completed = await ReadJsonAsync(completing, HttpStatusCode.OK);
        Assert.Equal(first.Length + second.Length, completed.GetProperty("size").GetInt64());

        // The bytes, read back through a download link, are the parts in order.
        using var linking = await SendAsync(host, writer, HttpMethod.Get, Files(path), null);
        byte[] stored = await Plain.GetByteArrayAsync((await ReadJsonAsync(linking, HttpStatusCode.OK)).GetProperty("url").GetString());
        Assert.Equal([.. first, .. second], stored);

        // Abort frees an upload; the same id is then unknown.
        using var again = await SendAsync(host, writer, HttpMethod.Post, Files("outputs/aborted.bin") + "&uploads", "{}");
        string aborted = Files("outputs/aborted.bin") + "&uploadId=" + Uri.EscapeDataString((await ReadJsonAsync(again, HttpStatusCode.Created)).GetProperty("uploadId").GetString()!);
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(host, writer, HttpMethod.Delete, aborted));
        using var gone = await SendAsync(host, writer, HttpMethod.Get, aborted, null);
        Assert.Equal("No such upload", (await ReadProblemAsync(gone, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Empty(await workspace.UploadsInProgressAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(SluiceTestHost host, string token, HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, new Uri(host.BaseAddress, path)) { Content = json is null ? null : Json(json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Plain.SendAsync(request);
    }

    private static async Task<string> PutPartAsync(string url, byte[] bytes)
    {
        using var response = await Plain.PutAsync(url, new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag!.ToString();
    }

    /// <summary>A key of the right shape that no server here holds (base64, so that Azure's is well formed).</summary>
    protected const string WrongKey = "bm90LXRoZS1rZXktdGhlLXNlcnZlci1oYXMtMDAwMDAwMDAwMA==";

    private static Task<SluiceTestHost> StartAsync(ArtifactsWorkspace workspace) => workspace.StartServerAsync();

    private static string Tree(string? path) =>
        $"/artifacts/{ArtifactsWorkspace.StoreName}/runs/{Run}/tree" + (path is null ? "" : "?path=" + Uri.EscapeDataString(path));

    private static string Files(string path) => $"/artifacts/{ArtifactsWorkspace.StoreName}/runs/{Run}/files?path={Uri.EscapeDataString(path)}";

    private static (string Type, string Name, string Path, long Size, int Files) Describe(JsonElement node) => (
        node.GetProperty("type").GetString()!, node.GetProperty("name").GetString()!, node.GetProperty("path").GetString()!,
        node.GetProperty("size").GetInt64(), node.GetProperty("files").GetInt32());

    private static async Task<JsonElement> GetJsonAsync(SluiceTestHost host, string path, HttpStatusCode expected)
    {
        using var response = await host.Client.GetAsync(path);
        return await ReadJsonAsync(response, expected);
    }

    private static async Task<JsonElement> SendJsonAsync(SluiceTestHost host, HttpMethod method, string path, HttpStatusCode expected)
    {
        using var response = await host.Client.SendAsync(new HttpRequestMessage(method, path));
        return await ReadJsonAsync(response, expected);
    }

    /// <summary>The status of a request with this token (none: anonymous), redirects not followed.</summary>
    internal static async Task<HttpStatusCode> StatusAsync(SluiceTestHost host, string? token, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(host.BaseAddress, path));
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        using var response = await Plain.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<List<string>> StoreNamesAsync(SluiceTestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/artifacts"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Plain.SendAsync(request);
        var stores = await ReadJsonAsync(response, HttpStatusCode.OK);
        return stores.EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
    }
}

[Collection(ArtifactsCollection.Name)]
public sealed class ArtifactsHttpTestsOnRadosGateway(RadosGatewayFixture gateway) : ArtifactsHttpTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);

    protected override void AssertLinkLasts(Uri link, int seconds) => Assert.Contains($"X-Amz-Expires={seconds}&", link.Query);

    protected override Dictionary<string, string> WithWrongKey(Dictionary<string, string> right) => new(right) { ["AWS_SECRET_ACCESS_KEY"] = WrongKey };
}

[Collection(AzuriteCollection.Name)]
public sealed class ArtifactsHttpTestsOnAzurite(AzuriteFixture azurite) : ArtifactsHttpTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);

    protected override void AssertLinkLasts(Uri link, int seconds)
    {
        // A SAS says when it ends (se), to the second: the link was made within the last minute.
        string expiry = System.Web.HttpUtility.ParseQueryString(link.Query)["se"]!;
        var endsAt = DateTimeOffset.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(endsAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(seconds - 60), TimeSpan.FromSeconds(seconds));
    }

    protected override Dictionary<string, string> WithWrongKey(Dictionary<string, string> right) => new()
    {
        ["AZURE_CONNECTION_STRING"] = right["AZURE_CONNECTION_STRING"].Replace(AzuriteFixture.AccountKey, WrongKey, StringComparison.Ordinal),
    };
}
