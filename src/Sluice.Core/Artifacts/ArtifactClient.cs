using Sluice.Core.Artifacts.Events;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Artifacts.Transfers;
using Sluice.Core.Credentials;
using Sluice.Core.Providers;
using Sluice.Core.Providers.Azure;
using Sluice.Core.Providers.S3;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts;

/// <summary>
/// Moves a run's files to and from one store: push (files and directories, multipart and
/// parallel, unchanged files skipped, interrupted uploads resumed), pull, list and delete.
/// Every path is checked before any request is sent. The store is reached through
/// <see cref="IObjectStore"/> only; which cloud it is, is decided once, at <see cref="ConnectAsync"/>.
/// </summary>
public sealed class ArtifactClient : IDisposable
{
    private readonly IObjectStore _store;
    private readonly bool _ownsStore;

    public ArtifactClient(IObjectStore store, StoreConnection connection, TransferOptions options, bool ownsStore = false)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _store = store;
        _ownsStore = ownsStore;
        Connection = connection;
        Options = options;
    }

    public StoreConnection Connection { get; }

    public TransferOptions Options { get; }

    /// <summary>
    /// A client on the store of the connection's kind: <see cref="S3ObjectStore.ConnectAsync"/> (credentials
    /// resolved first) or <see cref="AzureObjectStore.Connect"/>. Nothing after this names the cloud.
    /// </summary>
    /// <exception cref="StoreConnectionException">The store has no usable credentials.</exception>
    public static async Task<ArtifactClient> ConnectAsync(
        StoreConnection connection, TransferOptions options, CredentialEnvironment environment, CancellationToken cancellationToken, CachedCredentialProvider? defaultChain = null)
    {
        IObjectStore store = connection switch
        {
            S3StoreConnection s3 => await S3ObjectStore.ConnectAsync(s3, options, environment, cancellationToken, defaultChain),
            WasbStoreConnection wasb => AzureObjectStore.Connect(wasb, options),
            _ => throw new ArgumentException($"no store for {connection.GetType().Name}", nameof(connection)),
        };
        return new ArtifactClient(store, connection, options, ownsStore: true);
    }

    /// <summary>A signer of download links to the store's objects, with its current (refreshed ahead of expiry) credentials.</summary>
    /// <exception cref="CredentialSourceException">A keyless store and no source in the chain.</exception>
    public ValueTask<IUrlSigner> UrlSignerAsync(CancellationToken cancellationToken) => _store.UrlSignerAsync(cancellationToken);

    /// <summary>The store's bucket, by object key, for calls the client has no verb for (a server's presigned multipart uploads).</summary>
    public IObjectStore ObjectStore => _store;

    /// <exception cref="ArtifactPathException">The run name is not a single plain name.</exception>
    public RunLayout Run(string run) => new(Connection.Store, run);

    /// <summary>Pushes files and directories to <paramref name="destination"/> (a directory of the run).</summary>
    /// <exception cref="ArtifactPathException">A local path is missing or a file cannot become a key; nothing was sent.</exception>
    public Task<TransferSummary> PushAsync(RunLayout run, IReadOnlyList<string> localPaths, RunPath destination, ITransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LocalFile> files = LocalFiles.Plan(run, localPaths, destination);
        return new Uploader(_store, Options).PushAsync(run, files, destination, progress ?? NoProgress.Instance, cancellationToken);
    }

    /// <summary>Pulls the file or directory at <paramref name="remote"/> into <paramref name="localDirectory"/>.</summary>
    /// <exception cref="ArtifactNotFoundException">Nothing is stored there.</exception>
    public Task<TransferSummary> PullAsync(RunLayout run, RunPath remote, string localDirectory, ITransferProgress? progress = null, CancellationToken cancellationToken = default) =>
        new Downloader(_store, Options).PullAsync(run, remote, localDirectory, progress ?? NoProgress.Instance, cancellationToken);

    /// <summary>The run's files (all, or at and under <paramref name="path"/>), sorted by path.</summary>
    public Task<IReadOnlyList<RemoteFile>> ListAsync(RunLayout run, RunPath? path = null, CancellationToken cancellationToken = default) =>
        new RunLister(_store).ListAsync(run, path, cancellationToken);

    /// <summary>
    /// The store's runs after the run named <paramref name="after"/> (null: from the first), at most
    /// <paramref name="limit"/>, with their sizes; runs <paramref name="include"/> refuses are left out
    /// (and not read), though they still count toward the page.
    /// </summary>
    public Task<RunsPage> ListRunsAsync(string? after, int limit, Func<string, bool> include, CancellationToken cancellationToken = default) =>
        new StoreRunLister(_store, Math.Min(8, Options.Concurrency)).ListAsync(Connection.Store, after, limit, include, cancellationToken);

    /// <summary>Deletes the file or directory at <paramref name="path"/>, and uploads left in progress there.</summary>
    /// <exception cref="ArtifactNotFoundException">Nothing is stored there (a run directory such as outputs is never missing).</exception>
    public Task<DeleteSummary> DeleteAsync(RunLayout run, RunPath path, CancellationToken cancellationToken = default) =>
        new RunDeleter(_store, Options).DeleteAsync(run, path, cancellationToken);

    /// <summary>A mirror of <paramref name="localDirectory"/> into <paramref name="destination"/>, pass by pass (see <see cref="DirectorySync"/>).</summary>
    public DirectorySync Sync(RunLayout run, string localDirectory, RunPath destination) =>
        new(_store, Options, run, localDirectory, destination);

    /// <summary>A writer that appends lines to the run's log (<c>plxlogs/</c>), each with <paramref name="source"/>'s names; call <see cref="RunLogWriter.OpenAsync"/> first.</summary>
    public RunLogWriter LogWriter(RunLayout run, LogSource source, TimeProvider? time = null) =>
        new(_store, run, source, time ?? TimeProvider.System);

    /// <summary>A reader of the run's log, page by page from a <see cref="LogCursor"/>.</summary>
    public RunLogReader LogReader(RunLayout run) => new(_store, run);

    /// <summary>The run's events (<c>events/&lt;kind&gt;/&lt;name&gt;.plx</c>), to read and add to.</summary>
    public RunEvents Events(RunLayout run) => new(_store, run);

    public void Dispose()
    {
        if (_ownsStore)
        {
            _store.Dispose();
        }
    }
}
