using System.CommandLine;
using System.Globalization;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;
using Sluice.Core.Providers.S3;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice presign METHOD BUCKET KEY</c>: signs URLs locally, for scripts and debugging.
/// With <c>--keys-from</c> it signs one key per input line, streaming one URL per output line
/// (an empty line where a key is refused, so lines stay paired; the reason goes to stderr).
/// </summary>
public static class PresignCommand
{
    private const string SigningTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static Command Create()
    {
        var method = new Argument<string>("method") { Description = "GET, PUT or DELETE" };
        var bucket = new Argument<string>("bucket") { Description = "The bucket name" };
        var key = new Argument<string?>("key") { Description = "The object key (omit with --keys-from)", Arity = ArgumentArity.ZeroOrOne };
        var region = new Option<string>("--region") { Description = "The bucket's region", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1" };
        var accessKeyId = new Option<string?>("--access-key-id") { Description = "Access key id (default: AWS_ACCESS_KEY_ID)" };
        var secretAccessKey = new Option<string?>("--secret-access-key") { Description = "Secret key (default: AWS_SECRET_ACCESS_KEY; prefer the variable, arguments show in ps)" };
        var sessionToken = new Option<string?>("--session-token") { Description = "Session token for temporary keys (default: AWS_SESSION_TOKEN)" };
        var host = new Option<string?>("--host") { Description = "S3-compatible endpoint host[:port]; absent means AWS" };
        var pathStyle = new Option<bool>("--path-style") { Description = "Address buckets as host/bucket/key" };
        var useSsl = new Option<bool>("--use-ssl") { Description = "https (true) or http (false)", DefaultValueFactory = _ => true };
        var expiration = new Option<int>("--expiration") { Description = "Seconds the URL is valid, 1 to 604800", DefaultValueFactory = _ => 86400 };
        var signingTime = new Option<string?>("--signing-time") { Description = "Sign as of this UTC time, yyyyMMddTHHmmssZ (reproducible URLs)" };
        var keysFrom = new Option<string?>("--keys-from") { Description = "Sign one key per line of this file ('-' for stdin)" };

        var command = new Command("presign", "Print presigned S3 URLs.")
        {
            method, bucket, key, region, accessKeyId, secretAccessKey, sessionToken, host, pathStyle, useSsl, expiration, signingTime, keysFrom,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            if (!ObjectMethodNames.TryParse(parse.GetValue(method), out ObjectMethod s3Method))
            {
                errors.Add("METHOD must be GET, PUT or DELETE");
            }

            string bucketName = parse.GetValue(bucket)!;
            if (BucketName.Problem(bucketName) is { } bucketProblem)
            {
                errors.Add($"BUCKET {bucketProblem}");
            }

            EndpointHost? endpointHost = null;
            if (parse.GetValue(host) is { } hostText)
            {
                if (EndpointHost.TryParse(hostText, out var parsedHost, out string? hostProblem))
                {
                    endpointHost = parsedHost;
                }
                else
                {
                    errors.Add($"--host {hostProblem}");
                }
            }

            int seconds = parse.GetValue(expiration);
            if (seconds is < 1 or > PresignRequest.MaxExpiresInSeconds)
            {
                errors.Add($"--expiration must be from 1 to {PresignRequest.MaxExpiresInSeconds}");
            }

            DateTimeOffset time = DateTimeOffset.UtcNow;
            if (parse.GetValue(signingTime) is { } timeText
                && !DateTimeOffset.TryParseExact(timeText, SigningTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
            {
                errors.Add("--signing-time must be yyyyMMddTHHmmssZ, for example 20130524T000000Z");
            }

            string? ak = parse.GetValue(accessKeyId) ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
            string? sk = parse.GetValue(secretAccessKey) ?? Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
            string? token = parse.GetValue(sessionToken) ?? Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN");
            if (string.IsNullOrEmpty(ak) || string.IsNullOrEmpty(sk))
            {
                errors.Add("keys are needed: --access-key-id and --secret-access-key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
            }

            string? singleKey = parse.GetValue(key);
            string? keysPath = parse.GetValue(keysFrom);
            if ((singleKey is null) == (keysPath is null))
            {
                errors.Add("give either KEY or --keys-from, not both or neither");
            }
            else if (singleKey is not null && ObjectKey.Problem(singleKey) is { } keyProblem)
            {
                errors.Add($"KEY {keyProblem}");
            }

            if (errors.Count > 0)
            {
                foreach (string error in errors)
                {
                    await Console.Error.WriteLineAsync($"sluice presign: {error}");
                }

                return 2;
            }

            var endpoint = new S3Endpoint(parse.GetValue(region)!, endpointHost, parse.GetValue(pathStyle), parse.GetValue(useSsl));
            var signer = new KeySigner(
                new S3UrlSigner(new SigV4Presigner(TimeProvider.System), new PostPolicySigner(TimeProvider.System), endpoint, new SigningCredentials(ak!, sk!, token)),
                bucketName, s3Method, seconds, time);
            if (singleKey is not null)
            {
                Console.Out.WriteLine(signer.Sign(singleKey));
                return 0;
            }

            return await SignLinesAsync(signer, keysPath!, cancellationToken);
        });
        return command;
    }

    private static async Task<int> SignLinesAsync(KeySigner signer, string keysPath, CancellationToken cancellationToken)
    {
        using TextReader input = keysPath == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(keysPath);
        await using var output = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 64 * 1024) { AutoFlush = false, NewLine = "\n" };
        int lineNumber = 0, refused = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (ObjectKey.Problem(line) is { } problem)
            {
                refused++;
                await Console.Error.WriteLineAsync($"sluice presign: line {lineNumber}: key {problem}");
                await output.WriteLineAsync();
                continue;
            }

            await output.WriteLineAsync(signer.Sign(line));
        }

        await output.FlushAsync(cancellationToken);
        return refused == 0 ? 0 : 1;
    }

    private sealed class KeySigner(IUrlSigner signer, string bucket, ObjectMethod method, int seconds, DateTimeOffset time)
    {
        public string Sign(string key) => signer.Sign(bucket, key, method, seconds, time);
    }
}
