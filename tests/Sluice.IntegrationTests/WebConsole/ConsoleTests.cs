using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Sluice.IntegrationTests.Artifacts;
using Sluice.IntegrationTests.Browser;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.S3;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.WebConsole;

/// <summary>
/// The web console in headless Chromium (Playwright, tests/browser/console.mjs) against a real
/// server and the RADOS Gateway: one test per flow of issue 15. Every page a flow reaches is
/// checked with axe-core and screenshot at 1280 and 360 px (SLUICE_TEST_SCREENSHOTS).
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed partial class ConsoleTests(RadosGatewayFixture gateway) : IAsyncLifetime
{
    private const string Run = "run-console";
    private const string Store = ArtifactsWorkspace.StoreName;
    private ArtifactsWorkspace _workspace = null!;
    private SluiceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _workspace = new ArtifactsWorkspace(gateway);
        _host = await _workspace.StartServerAsync();
        // The bucket's rule for the console: GET (previews, downloads) and PUT (uploads) from Sluice's origin.
        await gateway.AllowBrowserAsync(_host.BaseAddress.GetLeftPart(UriPartial.Authority), "GET", "PUT", "HEAD");
    }

    public async Task DisposeAsync()
    {
        await gateway.S3.DeleteCORSConfigurationAsync(gateway.Bucket);
        await _host.DisposeAsync();
        await _workspace.DisposeAsync();
    }

    private string Admin => _host.AdminToken;

    [Fact]
    public async Task Signing_in_with_the_keyboard_shows_an_admin_every_section()
    {
        var report = await FlowAsync("signin", Admin);

        report.AssertClean(Admin);
        Assert.Equal("Sign in · Sluice", report.Text("title"));
        Assert.Contains("not valid", report.Text("badToken"));
        Assert.Equal(["Runs", "Presign", "Accounts", "Tokens"], report.Texts("nav"));
        Assert.Equal("Tokens", report.Text("reachedByKeyboard"));
        Assert.True(report.Step("sessionToken").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.Step("sessionTokenAfterSignOut").ValueKind);
    }

    [Fact]
    public async Task A_scoped_token_sees_only_the_runs_and_actions_it_may_use()
    {
        await PushRunAsync();
        await PushAsync("run-other", ("outputs/other.txt", "another run"));
        string reader = await CreateTokenAsync(_host.Client,
            $$"""{"name":"reader","accounts":["{{Store}}"],"prefixes":["{{_workspace.Prefix}}/{{Run}}/"],"methods":["GET"]}""");
        string elsewhere = await CreateTokenAsync(_host.Client, """{"name":"elsewhere","accounts":["another-store"],"methods":["GET"]}""");

        var report = await FlowAsync("scoped", reader, new { store = Store, run = Run, file = "outputs/notes.txt" });
        report.AssertClean(reader);
        Assert.Equal(["Runs", "Presign"], report.Texts("nav"));
        Assert.Equal([Store], report.Texts("stores"));
        Assert.Equal([Run], report.Texts("runs")); // run-other is outside its prefix
        Assert.Equal(0, report.Step("deleteButtons").GetInt32());
        Assert.Equal(0, report.Step("uploadForms").GetInt32());
        Assert.Equal(1, report.Step("download").GetInt32());
        foreach (string section in new[] { "tokens", "accounts" })
        {
            Assert.Contains("needs an admin token", report.Step(section).GetProperty("alert").GetRawText());
        }

        var other = await FlowAsync("scoped", elsewhere, new { store = Store, run = Run, file = "outputs/notes.txt" });
        other.AssertClean(elsewhere);
        Assert.Empty(other.Texts("stores"));
        Assert.Contains("This token may use no artifact store.", other.Texts("storesMessage"));
    }

    [Fact]
    public async Task An_admin_browses_a_pushed_run_previews_each_kind_downloads_from_the_bucket_and_deletes()
    {
        var files = await PushRunAsync();
        string chunk = (await _workspace.ListRunAsync(Run)).Keys.Single(k => k.StartsWith("plxlogs/", StringComparison.Ordinal));

        var report = await FlowAsync("browse", Admin, new
        {
            store = Store,
            run = Run,
            previews = new[] { "outputs/metrics.json", "outputs/table.csv", "outputs/plot.png", "outputs/notes.txt", chunk },
            downloads = new[] { "outputs/model/weights.bin", "outputs/table.csv" },
            deleteFile = "outputs/notes.txt",
            deleteFolder = "outputs/old",
        });

        report.AssertClean(Admin);
        Assert.Contains(Run, report.Texts("runs"));
        Assert.Contains("outputs/model/weights.bin", report.Texts("tree"));
        Assert.Equal(["loss: last value 0.25 at step 2"], report.Texts("metrics"));

        var previews = report.Step("previews");
        var json = previews.GetProperty("outputs/metrics.json");
        Assert.Equal("json", json.GetProperty("kind").GetString());
        Assert.Contains("\"accuracy\": 0.93", json.GetProperty("text").GetString()); // pretty-printed
        var csv = previews.GetProperty("outputs/table.csv");
        Assert.Equal("csv", csv.GetProperty("kind").GetString());
        Assert.Equal(["epoch", "loss", "note"], csv.GetProperty("header").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(50, csv.GetProperty("rows").GetInt32()); // the first 50 of 60 rows
        Assert.Contains("warm, then cold", csv.GetProperty("text").GetString()); // a quoted field with a comma stays one cell
        var image = previews.GetProperty("outputs/plot.png");
        Assert.Equal("image", image.GetProperty("kind").GetString());
        Assert.Equal("plot.png", image.GetProperty("image").GetProperty("alt").GetString());
        Assert.Equal(2, image.GetProperty("image").GetProperty("width").GetInt32());
        Assert.Equal("blob", image.GetProperty("image").GetProperty("source").GetString());
        var text = previews.GetProperty("outputs/notes.txt");
        Assert.Equal("text", text.GetProperty("kind").GetString());
        Assert.Contains("Trained on café data", text.GetProperty("text").GetString());
        var log = previews.GetProperty(chunk);
        Assert.Equal("log", log.GetProperty("kind").GetString());
        Assert.Equal(LogLines, log.GetProperty("lines").EnumerateArray().Select(e => e.GetString()));

        // The links go to the bucket itself, and what the browser fetched from it is the file.
        foreach (var (path, download) in report.Step("downloads").EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            Assert.StartsWith(gateway.ServiceUrl.GetLeftPart(UriPartial.Authority), download.GetProperty("href").GetString());
            Assert.Equal(200, download.GetProperty("status").GetInt32());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files[path]))), download.GetProperty("sha256").GetString());
            Assert.True(download.GetProperty("openedInNewTab").GetBoolean());
            Assert.True(download.GetProperty("consoleStayed").GetBoolean());
        }

        Assert.Equal("Delete outputs/notes.txt? This cannot be undone.", report.Text("deleteQuestion"));
        Assert.Equal(1, report.Step("afterCancel").GetInt32());
        Assert.Equal(0, report.Step("afterDelete").GetInt32());
        Assert.DoesNotContain(report.Texts("treeAfterFolderDelete"), p => p.StartsWith("outputs/old", StringComparison.Ordinal));
        var left = (await _workspace.ListRunAsync(Run)).Keys;
        Assert.DoesNotContain("outputs/notes.txt", left);
        Assert.DoesNotContain(left, k => k.StartsWith("outputs/old/", StringComparison.Ordinal));
        Assert.Contains("outputs/table.csv", left);
    }

    [Fact]
    public async Task A_log_is_followed_live_while_sluice_artifacts_logs_writes_it()
    {
        string[] lines = Enumerable.Range(1, 30).Select(i => $"step {i}: loss={1.0 / i:0.0000}" + (i % 10 == 0 ? " checkpoint" : "")).ToArray();
        using var writer = _workspace.StartWithInput(Run, "logs", "--interval", "0.5", "--container", "train");
        await writer.Input.WriteLineAsync(lines[0]);
        await writer.Input.FlushAsync();
        string ready = Path.Combine(_workspace.Root, "following");
        var flow = FlowAsync("logs", Admin, new { store = Store, run = Run, expectLines = lines.Length, search = "checkpoint", readyFile = ready });

        // The rest arrives once the page shows the first line, in three batches.
        while (!File.Exists(ready) && !flow.IsCompleted)
        {
            await Task.Delay(100);
        }

        foreach (var batch in lines.Skip(1).Chunk(10))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            foreach (string line in batch)
            {
                await writer.Input.WriteLineAsync(line);
            }

            await writer.Input.FlushAsync();
        }

        writer.Input.Close();
        Assert.Equal(0, (await writer.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode);
        var report = await flow;

        report.AssertClean(Admin);
        Assert.True(report.Step("follow").GetBoolean());
        Assert.Equal(1, report.Step("firstSeenWith").GetInt32()); // the other 29 came while it followed
        Assert.Equal(lines.Select(l => "[train] " + l), report.Texts("lines"));
        Assert.All(report.Texts("times"), t => Assert.True(DateTimeOffset.TryParse(t, out _), t));
        Assert.True(report.Step("atEnd").GetBoolean(), "following keeps the newest line in view");
        Assert.Equal("3 of 30 lines match", report.Text("searchStatus"));
        Assert.Equal(3, report.Step("visibleAfterSearch").GetInt32());
        Assert.Equal(3, report.Step("marks").GetInt32());
        Assert.True(report.Step("atEndAfterJump").GetBoolean());
    }

    [Fact]
    public async Task A_20_MB_file_uploads_from_the_console_into_the_run_byte_for_byte()
    {
        await PushAsync(Run, ("outputs/readme.txt", "a run to upload into"));
        string directory = _workspace.MakeDirectory("to-upload");
        string big = Path.Combine(directory, "checkpoint ü.bin");
        LocalTree.WriteRandom(big, (20 * LocalTree.MiB) + 12_345);
        string small = Path.Combine(directory, "config.yaml");
        LocalTree.WriteText(small, "lr: 0.001\n");

        var report = await FlowAsync("upload", Admin, new { store = Store, run = Run, files = new[] { big, small }, folder = "outputs/uploaded" });

        report.AssertClean(Admin);
        Assert.Contains(report.Texts("status"), s => s.EndsWith("Uploaded 2 files.", StringComparison.Ordinal));
        Assert.Equal(1.0, report.Step("progress").GetDouble());
        Assert.Contains("outputs/uploaded/checkpoint ü.bin", report.Texts("tree"));
        // Parts went from the browser to the bucket, never through the server.
        string bucketOrigin = gateway.ServiceUrl.GetLeftPart(UriPartial.Authority);
        Assert.True(report.Requests.Count(r => r.StartsWith($"PUT {bucketOrigin}/", StringComparison.Ordinal)) >= 3);
        Assert.DoesNotContain(report.Requests, r => r.StartsWith($"PUT {_host.BaseAddress.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal));
        using var stored = await gateway.S3.GetObjectAsync(gateway.Bucket, $"{_workspace.Prefix}/{Run}/outputs/uploaded/checkpoint ü.bin");
        using var read = File.OpenRead(big);
        Assert.Equal(await SHA256.HashDataAsync(read), await SHA256.HashDataAsync(stored.ResponseStream));
        Assert.Equal("lr: 0.001\n", await _workspace.ReadTextAsync(Run, "outputs/uploaded/config.yaml"));
        Assert.Empty(await _workspace.UploadsInProgressAsync());
    }

    [Fact]
    public async Task A_token_made_with_the_scope_builder_shows_its_secret_once_works_and_is_revoked()
    {
        string account = NewId("console");
        await PutAccountAsync(_host.Client, account, gateway.AccountYaml);
        string name = NewId("from-console");

        var report = await FlowAsync("tokens", Admin, new { name, account, bucket = gateway.Bucket, prefix = "shared/" });

        report.AssertClean(Admin);
        Assert.Contains("shown only once", report.Text("notice"));
        Assert.True(report.Step("copied").GetBoolean());
        // The token works, with exactly the scope the builder was given.
        var me = report.Step("meWithNew");
        Assert.Equal(200, me.GetProperty("status").GetInt32());
        var scope = me.GetProperty("body").GetProperty("scope");
        Assert.Equal(name, me.GetProperty("body").GetProperty("name").GetString());
        Assert.False(scope.GetProperty("admin").GetBoolean());
        Assert.Equal([account], scope.GetProperty("accounts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([gateway.Bucket], scope.GetProperty("buckets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["shared/"], scope.GetProperty("prefixes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["GET", "PUT"], scope.GetProperty("methods").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(900, scope.GetProperty("max-expiration").GetInt32());
        Assert.Equal(1_048_576, scope.GetProperty("max-upload-bytes").GetInt64());
        Assert.Contains("revoked", report.Text("row"));
        Assert.Equal(401, report.Step("meAfterRevoke").GetProperty("status").GetInt32());
        Assert.Equal(1, report.Step("secretShownOnce").GetInt32());

        using var tokens = await _host.Client.GetAsync("/tokens");
        var listed = (await ReadJsonAsync(tokens, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);
        Assert.NotNull(listed.GetProperty("revokedAt").GetString());
        Assert.NotNull(listed.GetProperty("expiresAt").GetString());
    }

    [Fact]
    public async Task An_account_with_a_bad_field_shows_the_apis_message_then_saves_checks_and_deletes()
    {
        string id = NewId("console-acct");
        using (var direct = await _host.Client.PutAsync($"/AwsAccount/{id}", Yaml("region: US East\n")))
        {
            // What the API itself answers for the same field: the console must show these words.
            var problem = await AssertValidationProblemAsync(direct, "region");
            string apiMessage = problem.GetProperty("errors").GetProperty("region")[0].GetString()!;

            var report = await FlowAsync("accounts", Admin, new
            {
                id,
                region = gateway.Region,
                host = gateway.ServiceUrl.Authority,
                accessKeyId = gateway.Credentials.AccessKeyId,
                secretAccessKey = gateway.Credentials.SecretAccessKey,
                bucket = gateway.Bucket,
            });

            report.AssertClean(Admin, gateway.Credentials.SecretAccessKey);
            Assert.Contains(apiMessage, report.Text("alert"));
            Assert.Equal([apiMessage], report.Texts("regionError"));
            Assert.Equal("true", report.Text("regionInvalid"));
            Assert.Equal(1, report.Step("listed").GetInt32());
            string check = report.Text("check");
            Assert.Contains("Check passed", check);
            Assert.Contains(gateway.Credentials.AccessKeyId, check);
            Assert.Contains(gateway.Bucket, check);
            Assert.Contains("yes", check);
            Assert.DoesNotContain(gateway.Credentials.SecretAccessKey, check);
            Assert.Equal(0, report.Step("listedAfterDelete").GetInt32());
        }

        await AssertAccountAbsentAsync(_host.Client, id);
    }

    [Fact]
    public async Task The_presign_playground_signs_a_url_the_bucket_serves_and_a_curl_line()
    {
        string account = NewId("console");
        await PutAccountAsync(_host.Client, account, gateway.AccountYaml);
        string key = $"console/{Guid.NewGuid():N}/report final.txt";
        await gateway.S3.PutObjectAsync(new PutObjectRequest { BucketName = gateway.Bucket, Key = key, ContentBody = "signed in the playground" });
        string scoped = await CreateTokenAsync(_host.Client,
            $$"""{"name":"player","accounts":["{{account}}"],"buckets":["{{gateway.Bucket}}"],"prefixes":["console/"],"methods":["GET"]}""");

        var report = await FlowAsync("presign", scoped, new { account, bucket = gateway.Bucket, key });

        report.AssertClean(scoped);
        string url = report.Text("url");
        Assert.StartsWith(gateway.ServiceUrl.GetLeftPart(UriPartial.Authority), url);
        using (var plain = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            Assert.Equal("signed in the playground", await plain.GetStringAsync(url));
        }

        Assert.Equal(url, report.Text("copiedUrl"));
        Assert.Equal(report.Text("curl"), report.Text("copiedCurl"));
        Assert.Contains($"'{url}'", report.Text("curl"));
        Assert.StartsWith("curl ", report.Text("curl"));
        Assert.Contains("..", report.Text("dotSegments"));
    }

    private static readonly string[] LogLines = ["epoch 1 starting", "loss | 0.5", "done ✓"];

    /// <summary>A run as a job leaves it: pushed outputs of each kind, a log written by <c>sluice artifacts logs</c>, metrics by <c>log-metric</c>.</summary>
    private async Task<Dictionary<string, string>> PushRunAsync()
    {
        var rows = Enumerable.Range(1, 60).Select(i => $"{i},{1.0 / i:0.000}," + (i == 2 ? "\"warm, then cold\"" : "plain"));
        var files = await PushAsync(Run,
            ("outputs/metrics.json", """{"accuracy":0.93,"loss":[0.5,0.25]}"""),
            ("outputs/table.csv", "epoch,loss,note\n" + string.Join("\n", rows) + "\n"),
            ("outputs/notes.txt", "Trained on café data.\n"),
            ("outputs/old/a.txt", "a"),
            ("outputs/old/b.txt", "b"));
        string png = Path.Combine(_workspace.MakeDirectory("png"), "plot.png");
        File.WriteAllBytes(png, Convert.FromBase64String(TwoByTwoPng));
        string weights = Path.Combine(_workspace.MakeDirectory("model"), "weights.bin");
        LocalTree.WriteRandom(weights, 300_000);
        Assert.Equal(0, (await _workspace.RunAsync(Run, "push", png, "--to", "outputs")).ExitCode);
        Assert.Equal(0, (await _workspace.RunAsync(Run, "push", weights, "--to", "outputs/model")).ExitCode);
        files["outputs/plot.png"] = png;
        files["outputs/model/weights.bin"] = weights;

        using var writer = _workspace.StartWithInput(Run, "logs");
        foreach (string line in LogLines)
        {
            await writer.Input.WriteLineAsync(line);
        }

        writer.Input.Close();
        Assert.Equal(0, (await writer.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode);
        foreach (var (step, loss) in new[] { (1, "0.5"), (2, "0.25") })
        {
            Assert.Equal(0, (await _workspace.RunAsync(Run, "log-metric", $"loss={loss}", "--step", $"{step}")).ExitCode);
        }

        return files;
    }

    /// <summary>Pushes text files (run-relative path, content) into a run with <c>sluice artifacts push</c>; answers path → local file.</summary>
    private async Task<Dictionary<string, string>> PushAsync(string run, params (string Path, string Text)[] files)
    {
        string root = _workspace.MakeDirectory("push-" + Guid.NewGuid().ToString("N")[..8]);
        var local = new Dictionary<string, string>();
        foreach (var (path, text) in files)
        {
            string file = Path.Combine(root, path);
            LocalTree.WriteText(file, text);
            local[path] = file;
        }

        var pushed = await _workspace.RunAsync(run, "push", Path.Combine(root, "outputs"), "--to", "outputs");
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        return local;
    }

    private async Task<ConsoleReport> FlowAsync(string flow, string token, object? parameters = null)
    {
        var job = System.Text.Json.JsonSerializer.SerializeToNode(parameters ?? new { })!.AsObject();
        job["flow"] = flow;
        job["base"] = _host.BaseAddress.ToString();
        job["token"] = token;
        job["screenshots"] = HeadlessChromium.ScreenshotsDirectory is { } dir ? Path.Combine(dir, "console") : null;
        return new ConsoleReport(await HeadlessChromium.RunAsync("console.mjs", job));
    }

    /// <summary>A 2×2 PNG.</summary>
    private const string TwoByTwoPng = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAD0lEQVR4nGP4zwAEEAIIACDuBfv1K+nKAAAAAElFTkSuQmCC";
}
