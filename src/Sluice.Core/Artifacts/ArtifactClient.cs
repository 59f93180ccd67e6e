using Amazon.S3;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.S3;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Transfers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts;

/// <summary>
/// Moves a run's files to and from one store: push (files and directories, multipart and
/// parallel, unchanged files skipped, interrupted uploads resumed), pull, list and delete.
/// Every path is checked before any request is sent.
/// </summary>
public sealed class ArtifactClient : IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly IObjectFetcher? _fetcher;
    private readonly HttpClient? _http;
    private readonly Func<CancellationToken, ValueTask<SigningCredentials>>? _credentials;

    public ArtifactClient(IAmazonS3 s3, StoreConnection connection, TransferOptions options, bool ownsClient = false)
        : this(s3, connection, options, ownsClient, fetcher: null, http: null, credentials: null)
    {
    }

    private ArtifactClient(
        IAmazonS3 s3, StoreConnection connection, TransferOptions options, bool ownsClient, IObjectFetcher? fetcher, HttpClient? http,
        Func<CancellationToken, ValueTask<SigningCredentials>>? credentials)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _s3 = s3;
        _ownsClient = ownsClient;
        _fetcher = fetcher;
        _http = http;
        _credentials = credentials;
        Connection = connection;
        Options = options;
    }

    public StoreConnection Connection { get; }

    public TransferOptions Options { get; }

    private string Bucket => Connection.Store.Bucket;

    /// <summary>A client on the store's own S3 client (see <see cref="StoreClientFactory"/>); credentials are resolved first.</summary>
    /// <exception cref="StoreConnectionException">The store has no usable credentials.</exception>
    public static async Task<ArtifactClient> ConnectAsync(
        StoreConnection connection, TransferOptions options, CredentialEnvironment environment, CancellationToken cancellationToken, CachedCredentialProvider? defaultChain = null)
    {
        StoreClients clients = await StoreClientFactory.CreateAsync(connection, options, environment, cancellationToken, defaultChain);
        var http = StoreHttpClientFactory.Create(connection.VerifySsl, options.Concurrency + 4, StoreClientFactory.RequestTimeout);
        var fetcher = new PresignedObjectFetcher(http, new SigV4Presigner(TimeProvider.System), connection.Endpoint, connection.Store.Bucket, clients.Credentials);
        return new ArtifactClient(clients.S3, connection, options, ownsClient: true, fetcher, http, clients.Credentials);
    }

    /// <summary>
    /// The credentials the store signs with, as our presigner takes them: the secret's keys, or the
    /// default chain's current (refreshed ahead of expiry) ones.
    /// </summary>
    /// <exception cref="CredentialSourceException">A keyless store and no source in the chain.</exception>
    /// <exception cref="InvalidOperationException">A client made on the caller's own S3 client, for a store without keys.</exception>
    public ValueTask<SigningCredentials> SigningCredentialsAsync(CancellationToken cancellationToken) =>
        _credentials?.Invoke(cancellationToken)
        ?? (Connection.Keys is { } keys
            ? ValueTask.FromResult(keys)
            : throw new InvalidOperationException($"store {Connection.Store.Name} has no keys, and this client was not connected with its default chain"));

    /// <exception cref="ArtifactPathException">The run name is not a single plain name.</exception>
    public RunLayout Run(string run) => new(Connection.Store, run);

    /// <summary>Pushes files and directories to <paramref name="destination"/> (a directory of the run).</summary>
    /// <exception cref="ArtifactPathException">A local path is missing or a file cannot become a key; nothing was sent.</exception>
    public Task<TransferSummary> PushAsync(RunLayout run, IReadOnlyList<string> localPaths, RunPath destination, ITransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LocalFile> files = LocalFiles.Plan(run, localPaths, destination);
        return new Uploader(_s3, Bucket, Options, UnsignedPayload).PushAsync(run, files, destination, progress ?? NoProgress.Instance, cancellationToken);
    }

    /// <summary>Pulls the file or directory at <paramref name="remote"/> into <paramref name="localDirectory"/>.</summary>
    /// <exception cref="ArtifactNotFoundException">Nothing is stored there.</exception>
    public Task<TransferSummary> PullAsync(RunLayout run, RunPath remote, string localDirectory, ITransferProgress? progress = null, CancellationToken cancellationToken = default) =>
        new Downloader(_s3, Bucket, Options, _fetcher).PullAsync(run, remote, localDirectory, progress ?? NoProgress.Instance, cancellationToken);

    /// <summary>The run's files (all, or at and under <paramref name="path"/>), sorted by path.</summary>
    public Task<IReadOnlyList<RemoteFile>> ListAsync(RunLayout run, RunPath? path = null, CancellationToken cancellationToken = default) =>
        new RunLister(_s3, Bucket).ListAsync(run, path, cancellationToken);

    /// <summary>Deletes the file or directory at <paramref name="path"/>, and uploads left in progress there.</summary>
    /// <exception cref="ArtifactNotFoundException">Nothing is stored there (a run directory such as outputs is never missing).</exception>
    public Task<DeleteSummary> DeleteAsync(RunLayout run, RunPath path, CancellationToken cancellationToken = default) =>
        new RunDeleter(_s3, Bucket, Options).DeleteAsync(run, path, cancellationToken);

    /// <summary>A mirror of <paramref name="localDirectory"/> into <paramref name="destination"/>, pass by pass (see <see cref="DirectorySync"/>).</summary>
    public DirectorySync Sync(RunLayout run, string localDirectory, RunPath destination) =>
        new(_s3, Options, UnsignedPayload, run, localDirectory, destination);

    /// <summary>A writer that appends lines to the run's log stream (<c>logs/&lt;stream&gt;/</c>); call <see cref="RunLogWriter.OpenAsync"/> first.</summary>
    /// <exception cref="ArtifactPathException">The stream name is not a plain relative path.</exception>
    public RunLogWriter LogWriter(RunLayout run, string stream, TimeProvider? time = null) =>
        new(_s3, Bucket, run, LogStream(run, stream), time ?? TimeProvider.System);

    /// <summary>A reader of the run's log stream from its first chunk on.</summary>
    /// <exception cref="ArtifactPathException">The stream name is not a plain relative path.</exception>
    public RunLogReader LogReader(RunLayout run, string stream) => new(_s3, Bucket, run, LogStream(run, stream));

    private static RunPath LogStream(RunLayout run, string stream)
    {
        RunPath path = RunPath.Parse(RunSection.Logs).Append(stream);
        _ = run.DirectoryPrefixOf(path); // the key length is checked here, before any request
        return path;
    }

    /// <summary>Over HTTPS the payload goes unsigned: each request carries its Content-MD5 and TLS protects it, which saves a SHA-256 pass.</summary>
    private bool UnsignedPayload => Connection.Endpoint.UseSsl;

    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
            _http?.Dispose();
        }
    }
}
