using System.CommandLine;
using System.Globalization;
using Sluice.Core.Artifacts;
using Sluice.Core.Credentials;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary>
/// The options the <c>sluice artifacts</c> commands share (<c>--config</c>, <c>--secrets-dir</c>,
/// <c>--store</c>, <c>--run</c>, and <c>--part-size</c>, <c>--concurrency</c> where they are used), and the client they make.
/// Options are taken as text and checked here, so that every bad argument exits with 2.
/// </summary>
public sealed class ArtifactsOptions
{
    public const string ConfigVariable = "SLUICE_CONFIG";
    public const string SecretsDirVariable = "SLUICE_SECRETS_DIR";
    public const string RunVariable = "SLUICE_RUN";

    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"The stores file: artifactsStore: and/or connections: as the seed writes them (default: {ConfigVariable})",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> SecretsDir { get; } = new("--secrets-dir")
    {
        Description = $"Where secrets are mounted, one directory per secret, one file per key (default: {SecretsDirVariable}). "
            + "A store's mounted secret wins over the environment; without one, its keys come from the AWS_* variables",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "The store's name (default: the file's artifactsStore)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Run { get; } = new("--run")
    {
        Description = $"The run: files live under <prefix>/<run>/outputs|events|assets|plxlogs|resources/ (default: {RunVariable})",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> PartSize { get; } = new("--part-size")
    {
        Description = "Files above this go multipart in parts of this size, 5MiB to 5GiB (default: 16MiB)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Concurrency { get; } = new("--concurrency")
    {
        Description = $"Requests in flight at once, files or parts, 1 to {TransferOptions.MaxConcurrency} (default: {TransferOptions.DefaultConcurrency})",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>Adds the options every command takes, and of <c>--part-size</c> and <c>--concurrency</c> those it uses.</summary>
    public void AddTo(Command command, bool partSize, bool concurrency)
    {
        command.Options.Add(Store);
        command.Options.Add(Run);
        command.Options.Add(Config);
        command.Options.Add(SecretsDir);
        if (partSize)
        {
            command.Options.Add(PartSize);
        }

        if (concurrency)
        {
            command.Options.Add(Concurrency);
        }

        CommandArguments.ReportsUnknownArguments(command);
    }

    /// <summary>
    /// The shared options, checked, and the command's positional <paramref name="values"/>: one that
    /// looks like an option is an unknown option (the parser would take it as a path); problems go
    /// to <paramref name="errors"/>.
    /// </summary>
    public TransferOptions? ReadTransferOptions(ParseResult parse, IEnumerable<string> values, List<string> errors)
    {
        CommandArguments.AddUnknown(parse, errors);
        foreach (string value in values)
        {
            if (value.Length > 1 && value.StartsWith('-'))
            {
                errors.Add($"unknown option {value} (a local path that starts with '-' can be given as ./{value})");
            }
        }

        IList<Option> taken = parse.CommandResult.Command.Options;
        return CommandArguments.ReadTransfer(parse, taken.Contains(PartSize) ? PartSize : null, taken.Contains(Concurrency) ? Concurrency : null, new TransferOptions(), errors);
    }

    /// <summary>
    /// Loads the configuration, finds the store, reads its secret and connects: the client and the
    /// run, or null after printing why (exit code 2).
    /// </summary>
    public async Task<(ArtifactClient Client, RunLayout Run)?> ConnectAsync(ParseResult parse, string command, TransferOptions transfer, CancellationToken cancellationToken)
    {
        string? configPath = parse.GetValue(Config) ?? Variable(ConfigVariable);
        string? run = parse.GetValue(Run) ?? Variable(RunVariable);
        var errors = new List<string>();
        if (configPath is null)
        {
            errors.Add($"no stores file: give --config FILE or set {ConfigVariable}");
        }

        if (run is null)
        {
            errors.Add($"no run: give --run RUN or set {RunVariable}");
        }
        else if (RunLayout.RunNameProblem(run) is { } runProblem)
        {
            errors.Add($"--run: the run name '{run}' {runProblem}");
        }

        if (errors.Count > 0)
        {
            Report(command, errors);
            return null;
        }

        try
        {
            ArtifactStores stores = StoresConfigReader.Load(configPath!);
            string? name = parse.GetValue(Store);
            ArtifactStore? store = name is null ? stores.Default : stores.Find(name);
            if (store is null)
            {
                string known = string.Join(", ", stores.All.Select(s => s.Name));
                Report(command, [name is null
                    ? $"{configPath} has no artifactsStore: give --store NAME (one of: {known})"
                    : $"no store named '{name}' in {configPath} (stores: {known})"]);
                return null;
            }

            var environment = CredentialEnvironment.Process;
            StoreSecret secret = new StoreSecretReader(parse.GetValue(SecretsDir) ?? Variable(SecretsDirVariable), environment).Read(store.SecretName);
            StoreConnection connection = StoreConnectionResolver.Resolve(store, secret);
            ArtifactClient client = await ArtifactClient.ConnectAsync(connection, transfer, environment, cancellationToken);
            return (client, client.Run(run!));
        }
        catch (StoresConfigException e)
        {
            Report(command, e.Errors.Select(error => error.ToString()).ToList());
        }
        catch (Exception e) when (e is StoreConnectionException or ArtifactPathException)
        {
            Report(command, [e.Message]);
        }

        return null;
    }

    /// <summary>An <c>--interval</c>: seconds, 0.1 to 3600; <paramref name="fallback"/> when not given; a bad value goes to <paramref name="errors"/>.</summary>
    public static TimeSpan ReadInterval(string? text, TimeSpan fallback, List<string> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0.1 and <= 3600)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add($"--interval must be a number of seconds from 0.1 to 3600 (got '{text}')");
        return fallback;
    }

    public static void Report(string command, IReadOnlyList<string> errors)
    {
        foreach (string error in errors)
        {
            Console.Error.WriteLine($"sluice artifacts {command}: {error}");
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
