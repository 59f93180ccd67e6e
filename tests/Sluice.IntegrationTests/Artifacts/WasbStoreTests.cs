using System.Net;
using Azure.Storage.Sas;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.Http;
using Sluice.Server.Hosting;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// What only <c>kind: wasb</c> stores have, on Azurite (the round trips, interruptions, sync, logs
/// and HTTP endpoints every store passes run on Azurite in the <c>…OnAzurite</c> classes): a SAS
/// token as the credential, and the Azure keys of a secret checked before anything is sent.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WasbStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_store_reached_with_a_SAS_token_moves_files_within_its_grant_but_signs_no_links()
    {
        await using var workspace = new ArtifactsWorkspace(azurite);
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "model.bin"), 3_000_000);
        LocalTree.WriteText(Path.Combine(tree, "notes ü.txt"), "notes");
        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string>
        {
            ["AZURE_CONNECTION_STRING"] = $"BlobEndpoint={azurite.ServiceUrl.AbsoluteUri.TrimEnd('/')};SharedAccessSignature={Sas(BlobContainerSasPermissions.All)}",
        });

        var push = await workspace.RunAsync("r", "push", tree);
        Assert.True(push.ExitCode == 0, push.ToString());
        string copy = Path.Combine(workspace.Root, "copy");
        var pull = await workspace.RunAsync("r", "pull", "outputs", copy);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        LocalTree.AssertIdentical(tree, copy);

        // The server lists the run with it, but a link would need the account key: 503, saying why.
        await using (var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{SluiceOptions.Section}:{nameof(SluiceOptions.ArtifactsConfig)}"] = workspace.ConfigPath,
            [$"{SluiceOptions.Section}:{nameof(SluiceOptions.SecretsDirectory)}"] = workspace.SecretsDirectory,
        }))
        {
            using var treeResponse = await host.Client.GetAsync($"/artifacts/{ArtifactsWorkspace.StoreName}/runs/r/tree");
            Assert.Equal(HttpStatusCode.OK, treeResponse.StatusCode);
            using var link = await host.Client.GetAsync($"/artifacts/{ArtifactsWorkspace.StoreName}/runs/r/files?path=outputs/model.bin");
            var problem = await ReadProblemAsync(link, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("is reached with a SAS token, which cannot sign links", problem.GetProperty("detail").GetString());
            Assert.NotNull(link.Headers.RetryAfter);
        }

        // A token that may only read and list: Azurite refuses the write, and the command says so.
        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string>
        {
            ["AZURE_CONNECTION_STRING"] = $"BlobEndpoint={azurite.ServiceUrl.AbsoluteUri.TrimEnd('/')};SharedAccessSignature={Sas(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List)}",
        });
        Assert.Equal(0, (await workspace.RunAsync("r", "ls")).ExitCode);
        string extra = Path.Combine(workspace.Root, "extra.txt");
        await File.WriteAllTextAsync(extra, "extra");
        var refused = await workspace.RunAsync("r", "push", extra);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("403", refused.StandardError + refused.StandardOutput);
    }

    [Fact]
    public async Task Azure_secrets_that_cannot_work_stop_the_command_naming_the_key_and_never_the_value()
    {
        await using var workspace = new ArtifactsWorkspace(azurite);

        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string> { ["AZURE_ACCOUNT_KEY"] = "this is not base64!" });
        var notBase64 = await workspace.RunAsync("r", "ls");
        Assert.Equal(2, notBase64.ExitCode);
        Assert.Contains("the account key in secret s3-secret", notBase64.StandardError);
        Assert.Contains("is not base64", notBase64.StandardError);
        Assert.DoesNotContain("this is not base64!", notBase64.StandardError);

        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string>
        {
            ["AZURE_CONNECTION_STRING"] = $"AccountName=someoneelse;AccountKey={AzuriteFixture.AccountKey}",
        });
        var otherAccount = await workspace.RunAsync("r", "ls");
        Assert.Equal(2, otherAccount.ExitCode);
        Assert.Contains("names the account 'someoneelse' but schema.bucket", otherAccount.StandardError);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, otherAccount.StandardError);

        // Well formed, but not the account's key: Azurite itself refuses it.
        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string>
        {
            ["AZURE_CONNECTION_STRING"] = new AzuriteStore(azurite).ConnectionString.Replace(AzuriteFixture.AccountKey, "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk=", StringComparison.Ordinal),
        });
        var wrongKey = await workspace.RunAsync("r", "ls");
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.StartsWith("sluice artifacts ls: 403 ", wrongKey.StandardError);
    }

    private string Sas(BlobContainerSasPermissions permissions) =>
        azurite.Container.GenerateSasUri(permissions, DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');
}
