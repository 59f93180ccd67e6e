using System.CommandLine;
using System.Globalization;
using System.Net;
using Sluice.Cli.Commands.Artifacts;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// <c>sluice upload FILE --account A --bucket B</c>: a file through the server's presigned multipart
/// API, the way in for a client with a Sluice token and no S3 credentials. Options are taken as
/// text and checked here, so that every bad argument exits with 2.
/// </summary>
public static class UploadCommand
{
    public const long DefaultPartSize = 16 * TransferOptions.MiB;
    public const int DefaultConcurrency = 4;

    /// <summary>The exit code of an upload stopped by Ctrl+C or SIGTERM (128 + SIGINT), kept to resume.</summary>
    public const int Interrupted = ExitCodes.Interrupted;

    public static Command Create()
    {
        var file = new Argument<string?>("FILE") { Description = "The file to upload", Arity = ArgumentArity.ZeroOrOne };
        var account = Text("--account", "The Sluice account the bucket belongs to");
        var bucket = Text("--bucket", "The bucket");
        var key = Text("--key", "The object key (default: one the server generates, printed at the end)");
        var contentType = Text("--content-type", "The object's media type, e.g. application/zip");
        var partSize = Text("--part-size", "Parts of this size, 5MiB to 5GiB, grown to fit the file in 10,000 parts (default: 16MiB)");
        var concurrency = Text("--concurrency", $"Parts in flight at once, 1 to {TransferOptions.MaxConcurrency} (default: {DefaultConcurrency})");
        var connection = new ServerConnection();
        var command = new Command("upload", """
            Upload a file through the server's presigned multipart API (no S3 credentials needed, only a token).
              sluice upload backup.tar --account acme --bucket backups --key 2024/backup.tar
              sluice upload video.mp4 --account acme --bucket media --content-type video/mp4 --part-size 64MiB --concurrency 8
            Parts go in parallel, each straight to the bucket on a URL the server signs just before it is needed.
            An interrupted upload (Ctrl+C, a crash, a lost connection) is kept: run the same command again and it
            sends only the parts the bucket does not hold yet. Its state is a small file under
            $XDG_STATE_HOME/sluice/uploads (default ~/.local/state/sluice/uploads).
            Exit codes: 0 done, 1 the transfer failed (re-run to resume), 2 bad arguments or refused by the server
            before anything was sent (token, account, bucket, key), 130 interrupted (re-run to resume).
            """)
        {
            file, account, bucket, key, contentType, partSize, concurrency,
        };
        connection.AddTo(command);
        CommandArguments.ReportsUnknownArguments(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            CommandArguments.AddUnknown(parse, errors);

            string? path = parse.GetValue(file);
            if (path is null)
            {
                errors.Add("give the FILE to upload");
            }
            else if (path.Length > 1 && path.StartsWith('-'))
            {
                errors.Add($"unknown option {path} (a file whose name starts with '-' can be given as ./{path})");
            }
            else if (!File.Exists(path))
            {
                errors.Add(Directory.Exists(path) ? $"{path} is a directory: give a file" : $"no file {path}");
            }

            string? accountId = parse.GetValue(account);
            if (accountId is null)
            {
                errors.Add("give --account");
            }
            else if (AccountId.Problem(accountId) is { } accountProblem)
            {
                errors.Add($"--account {accountProblem}");
            }

            string? bucketName = parse.GetValue(bucket);
            if (bucketName is null)
            {
                errors.Add("give --bucket");
            }
            else if (BucketName.Problem(bucketName) is { } bucketProblem)
            {
                errors.Add($"--bucket {bucketProblem}");
            }

            string? objectKey = parse.GetValue(key);
            if (objectKey is not null && ObjectKey.Problem(objectKey) is { } keyProblem)
            {
                errors.Add($"--key {keyProblem}");
            }

            string? type = parse.GetValue(contentType);
            if (type is not null && MediaType.Problem(type) is { } typeProblem)
            {
                errors.Add($"--content-type {typeProblem}");
            }

            var options = CommandArguments.ReadTransfer(parse, partSize, concurrency, new TransferOptions { PartSize = DefaultPartSize, Concurrency = DefaultConcurrency }, errors);
            if (errors.Count > 0)
            {
                Report(errors.ToArray());
                return ExitCodes.Usage;
            }

            var request = new UploadRequest(Path.GetFullPath(path!), parse.GetValue(connection.Server)!, accountId!, bucketName!, objectKey, type, options.PartSize, options.Concurrency);
            using var server = connection.CreateClient(parse);
            using var bucketClient = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = options.Concurrency })
            {
                Timeout = Timeout.InfiniteTimeSpan, // each part has its own deadline
            };
            return await RunAsync(request, new UploadApi(server, accountId!, bucketName!), bucketClient, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(UploadRequest request, UploadApi api, HttpClient bucketClient, CancellationToken cancellationToken)
    {
        var upload = new FileUpload(request, api, bucketClient, UploadStateStore.Default(), TimeProvider.System);
        CompletedUpload? done = null;
        string target = $"{request.Bucket}/{request.Key ?? "(generated key)"}";
        int code = await UploadReport.RunAsync($"upload {Path.GetFileName(request.File)} to {target}", async progress =>
        {
            try
            {
                done = await upload.RunAsync(progress, cancellationToken);
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Interrupted;
            }
            catch (UploadApiException e) when (!upload.Started && e.Status is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError)
            {
                Report(e.Message);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is UploadApiException or PartFailedException or FileChangedException or TransferIntegrityException
                or HttpRequestException or OperationCanceledException or IOException or UnauthorizedAccessException)
            {
                Report(e.Message);
                return ExitCodes.TransferFailed;
            }
        });

        if (done is not null)
        {
            Console.Out.WriteLine($"key: {done.Key}");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"size: {done.Size} ({Sizes.Format(done.Size)})"));
            Console.Out.WriteLine($"etag: {done.ETag}");
        }
        else if (upload.Started)
        {
            string how = code == Interrupted ? "stopped" : "failed";
            Report($"{how} with {upload.PartsStored} of {upload.PartCount} parts stored; the upload is kept (state: {upload.StatePath}). "
                + "Run the same command again to resume it: only the missing parts are sent.");
        }

        return code;
    }

    private static Option<string?> Text(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    private static void Report(params string[] errors)
    {
        foreach (string error in errors)
        {
            Console.Error.WriteLine($"sluice upload: {error}");
        }
    }
}
