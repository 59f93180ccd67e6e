using Sluice.Core.Artifacts;
using Sluice.Core.Transfers;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.S3;
using Sluice.Server.Hosting;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// One test's world: a temporary directory with a stores file in the seed's shape (pointing at the
/// store's bucket or container under a fresh prefix), a secrets directory holding the store's keys as
/// Kubernetes mounts a Secret, and ways to run <c>sluice artifacts</c> against them and look at
/// the store with its cloud's own SDK (<see cref="StoreUnderTest"/>). Whatever was stored under the
/// prefix is deleted when disposed.
/// </summary>
public sealed class ArtifactsWorkspace : IAsyncDisposable
{
    public const string StoreName = "s3-artifacts";
    public const string SecretName = "s3-secret";

    public ArtifactsWorkspace(RadosGatewayFixture gateway)
        : this(new GatewayStore(gateway))
    {
    }

    public ArtifactsWorkspace(AzuriteFixture azurite)
        : this(new AzuriteStore(azurite))
    {
    }

    public ArtifactsWorkspace(StoreUnderTest store)
    {
        Store = store;
        Root = Directory.CreateTempSubdirectory("sluice-artifacts-").FullName;
        Prefix = "it-" + Guid.NewGuid().ToString("N")[..10];
        ConfigPath = Path.Combine(Root, "stores.yaml");
        SecretsDirectory = Path.Combine(Root, "secrets");
        File.WriteAllText(ConfigPath, $"""
            artifactsStore:
              name: {StoreName}
              kind: {store.Kind}
              schema:
                bucket: "{store.BucketUrl(Prefix)}"
              secret:
                name: "{SecretName}"
            """);
        MountSecret(SecretName, StoreKeys());
    }

    public StoreUnderTest Store { get; }

    /// <summary>The RADOS Gateway, for the tests of S3's own ways (a workspace on Azurite has none).</summary>
    public RadosGatewayFixture Gateway => (Store as GatewayStore)?.Gateway ?? throw new InvalidOperationException("not a workspace on the RADOS Gateway");

    public string Root { get; }

    /// <summary>The store's key prefix in the gateway's bucket.</summary>
    public string Prefix { get; }

    public string ConfigPath { get; }

    public string SecretsDirectory { get; }

    /// <summary>
    /// An in-process client for the workspace's prefix, with the store's keys; <paramref name="authority"/>
    /// (host:port) points it elsewhere, e.g. at a <see cref="GatewayProxy"/>.
    /// </summary>
    public Task<ArtifactClient> ConnectAsync(TransferOptions? options = null, string? authority = null) =>
        Store.ConnectAsync(Prefix, options ?? new TransferOptions(), authority);

    /// <summary>The keys and endpoint of the store, as a secret holds them.</summary>
    public Dictionary<string, string> StoreKeys() => Store.SecretValues();

    /// <summary>Lays out a secret as the kubelet does: links to files in a timestamped ..data directory, values with a trailing newline.</summary>
    public void MountSecret(string name, IReadOnlyDictionary<string, string> values)
    {
        string directory = Path.Combine(SecretsDirectory, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        string data = Path.Combine(directory, "..2024_06_01_12_00_00.000000001");
        Directory.CreateDirectory(data);
        foreach (var (key, value) in values)
        {
            File.WriteAllText(Path.Combine(data, key), value + "\n");
            File.CreateSymbolicLink(Path.Combine(directory, key), Path.Combine(data, key));
        }
    }

    public string MakeDirectory(string name)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary><c>sluice artifacts COMMAND ARGS --config … --secrets-dir … --run RUN</c>.</summary>
    public Task<SluiceChild.Result> RunAsync(string run, params string[] arguments) =>
        SluiceChild.RunAsync(WithStore(run, arguments), new Dictionary<string, string>());

    public SluiceChild Start(string run, params string[] arguments) =>
        SluiceChild.Start(WithStore(run, arguments), new Dictionary<string, string>());

    /// <summary>As <see cref="Start"/>, with stdin left open for the test to write (<see cref="SluiceChild.Input"/>).</summary>
    public SluiceChild StartWithInput(string run, params string[] arguments) => StartWithInput(run, new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="StartWithInput(string, string[])"/>, with these environment variables.</summary>
    public SluiceChild StartWithInput(string run, IDictionary<string, string> environment, params string[] arguments) =>
        SluiceChild.Start(WithStore(run, arguments), environment, keepInputOpen: true);

    /// <summary>A server (a real Kestrel listener) with this workspace's stores file and secrets.</summary>
    public Task<SluiceTestHost> StartServerAsync() => SluiceTestHost.StartAsync(settings: ServerSettings(ConfigPath, SecretsDirectory));

    public static Dictionary<string, string?> ServerSettings(string config, string secrets) => new()
    {
        [$"{SluiceOptions.Section}:{nameof(SluiceOptions.ArtifactsConfig)}"] = config,
        [$"{SluiceOptions.Section}:{nameof(SluiceOptions.SecretsDirectory)}"] = secrets,
    };

    /// <summary>Writes an object under the run, through the store's own SDK (a file another tool wrote).</summary>
    public Task WriteTextAsync(string run, string path, string text) => Store.WriteTextAsync($"{Prefix}/{run}/{path}", text);

    /// <summary>An object's content, by its key under the run.</summary>
    public Task<string> ReadTextAsync(string run, string path) => Store.ReadTextAsync($"{Prefix}/{run}/{path}");

    public IEnumerable<string> WithStore(string run, IEnumerable<string> arguments) =>
        ["artifacts", .. arguments, "--config", ConfigPath, "--secrets-dir", SecretsDirectory, "--run", run];

    /// <summary>The store's own listing of a run: key under the run → (size, ETag).</summary>
    public Task<Dictionary<string, (long Size, string ETag)>> ListRunAsync(string run) => Store.ListAsync($"{Prefix}/{run}/");

    /// <summary>Uploads in parts in progress under the store's prefix.</summary>
    public Task<List<OpenUpload>> UploadsInProgressAsync() => Store.UploadsInProgressAsync(Prefix + "/");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Store.DeleteAllAsync(Prefix + "/");
        }
        finally
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
