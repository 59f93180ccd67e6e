using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Sluice.Core.Access;
using Sluice.Core.Credentials;
using Sluice.Core.Identities;
using Sluice.Core.Signing;
using Sluice.Server.Accounts;
using Sluice.Server.Artifacts;
using Sluice.Server.Audit;
using Sluice.Server.Azure;
using Sluice.Core.Providers.Azure;
using Prometheus;
using Sluice.Server.Auth;
using Sluice.Server.Observability;
using Sluice.Server.Persistence;
using Sluice.Server.Persistence.Caching;
using Sluice.Server.Persistence.Resources;
using Sluice.Server.Problems;
using Sluice.Server.Storage;
using Sluice.Server.WebConsole;
using Sluice.Core.Providers.S3;

namespace Sluice.Server.Hosting;

/// <summary>Builds the Sluice web application; <c>sluice serve</c> and the tests both start it here.</summary>
public static class SluiceServer
{
    public const string DatabaseFileName = DatabaseSetting.DefaultFileName;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        MapFriendlyEnvironment(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ServerAddress.Default);
        }

        // ASP.NET's per-request information logs repeat every path; keep them for when they are asked for.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter(typeof(BearerTokenHandler).FullName, LogLevel.Warning); // every refused request, at Information

        // The authentication stack creates an in-memory DataProtection key ring Sluice never uses, and warns about it at every start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        // A start that fails (a port in use) throws from StartAsync to the caller, who tells it (`sluice serve` in
        // one line); the host's Error log of it would add the stack trace. Its Critical log of a failed background service stays.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        var startOptions = ReadOptions(builder.Configuration);
        builder.Logging.ClearProviders();
        if (LogsAsText(startOptions.LogFormat))
        {
            builder.Logging.AddSimpleConsole(console => console.IncludeScopes = true);
        }
        else
        {
            // One JSON object a line; the request scope carries RequestId and RequestPath.
            builder.Logging.AddJsonConsole(console => console.IncludeScopes = true);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
        });

        builder.Services.AddOptions<SluiceOptions>().BindConfiguration(SluiceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SluiceOptions>, SluiceOptionsValidator>();
        // A refused request's problem detail is also its audit record's reason.
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = problem =>
        {
            if (problem.HttpContext.Features.Get<AuditFeature>() is { } audit)
            {
                audit.Reason = problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title;
            }
        });
        builder.Services.AddSluiceObservability();
        builder.Services.AddSluiceRequestLimits();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new SigV4Presigner(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new PostPolicySigner(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(CredentialEnvironment.Process);
        builder.Services.AddSingleton(sp => new CachedCredentialProvider(
            DefaultCredentialChain.Standard(sp.GetRequiredService<CredentialEnvironment>()),
            sp.GetRequiredService<TimeProvider>(),
            new CredentialRefreshOptions
            {
                RefreshBeforeExpiry = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SluiceOptions>>().Value.CredentialRefreshBeforeExpirySeconds),
                // The SDK's providers already retry with backoff (the container provider 5 times over
                // ~6 s); retrying them again made a dead endpoint 15 calls and a 19 s wait per refresh.
                Attempts = 1,
            },
            sp.GetRequiredService<ILogger<CachedCredentialProvider>>()));
        builder.Services.AddSingleton<ICredentialResolver, AccountCredentialResolver>();
        builder.Services.AddSingleton(sp => new S3Provider(
            sp.GetRequiredService<SigV4Presigner>(),
            sp.GetRequiredService<PostPolicySigner>(),
            sdkSigner: sp.GetRequiredService<IOptions<SluiceOptions>>().Value.Signer == "aws-sdk"));
        builder.Services.AddSingleton<PresignServices>();
        builder.Services.AddSingleton(sp => new UserDelegationKeys(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<AzureSigners>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SluiceOptions>>().Value;
            return new ArtifactStoreRegistry(options.ArtifactsConfig, options.SecretsDirectory, sp.GetRequiredService<CredentialEnvironment>(), sp.GetRequiredService<CachedCredentialProvider>());
        });
        builder.Services.AddSingleton(sp => CreateDatabase(
            sp.GetRequiredService<IOptions<SluiceOptions>>().Value, sp.GetRequiredService<IConfiguration>()[DatabaseSetting.ConfigurationKey], sp.GetRequiredService<TimeProvider>()));

        // Tokens and accounts are answered from memory. The embedded database has one writer, this
        // process; on a shared PostgreSQL the change listener follows the other instances' writes.
        builder.Services.AddSingleton(sp => new SqlTokenStore(sp.GetRequiredService<SqlAccountStore>()));
        builder.Services.AddSingleton(sp => new SqlResourceStore(sp.GetRequiredService<SqlAccountStore>()));
        builder.Services.AddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var database = sp.GetRequiredService<SqlAccountStore>();
            var freshness = database is PostgresAccountStore
                ? CacheFreshness.Shared(time, TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SluiceOptions>>().Value.CacheMaxStalenessSeconds))
                : CacheFreshness.SoleWriter(time);
            return new DatabaseCache(database, sp.GetRequiredService<SqlTokenStore>(), sp.GetRequiredService<SqlResourceStore>(), freshness);
        });
        builder.Services.AddSingleton<IAccountStore, CachedAccountStore>();
        builder.Services.AddSingleton<IAzureResourceStore, CachedAzureResourceStore>();
        builder.Services.AddSingleton<ITokenStore, CachedTokenStore>();
        builder.Services.AddSingleton<PostgresChangeListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeListener>());
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddSingleton(sp => new AuditQueue(sp.GetRequiredService<IOptions<SluiceOptions>>().Value.AuditQueueLimit));
        builder.Services.AddSingleton<IAuditStore>(sp => SqlAuditStore.For(sp.GetRequiredService<SqlAccountStore>()));
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());

        // Last, so that what the caller registers (a test's environment, a clock) wins.
        configure?.Invoke(builder);

        // After the caller's configuration, which may name the identities file: each issuer is a scheme of its own.
        string? identities = ReadOptions(builder.Configuration).IdentitiesConfig;
        builder.Services.AddSluiceAuth(string.IsNullOrEmpty(identities) ? [] : IdentitiesConfigReader.Load(identities));

        var app = builder.Build();
        if (app.Services.GetRequiredService<IOptions<SluiceOptions>>().Value.AuditEnabled)
        {
            app.UseMiddleware<AuditMiddleware>(); // first: it records the status the client got
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSluiceRequestTelemetry();
        app.UseRawStoragePaths();
        app.UseRouting();
        app.UseHttpMetrics();
        app.UseAuthentication();
        app.UseSluiceRequestLimits();
        app.UseAuthorization();
        app.MapSluiceObservability();
        app.MapAccountEndpoints();
        app.MapAccountCheckEndpoint();
        app.MapPresignEndpoints();
        app.MapTokenEndpoints();
        app.MapCallerEndpoint();
        app.MapArtifactEndpoints();
        app.MapAzureResourceEndpoints();
        app.MapAzureStorageEndpoints();
        app.MapAuditEndpoints();
        app.MapUploadPage();
        app.MapConsole();

        // Open the store now, so a bad data directory or key fails the start, not the first request;
        // the same for a wrong stores file.
        app.Services.GetRequiredService<DatabaseCache>().ReloadAsync(CancellationToken.None).GetAwaiter().GetResult();
        _ = app.Services.GetRequiredService<ArtifactStoreRegistry>();
        var options = app.Services.GetRequiredService<IOptions<SluiceOptions>>().Value;
        AdminTokenBootstrap.EnsureAsync(
            app.Services.GetRequiredService<ITokenStore>(),
            options.AdminToken,
            Path.GetFullPath(options.DataDirectory),
            app.Services.GetRequiredService<TimeProvider>(),
            Console.Out).GetAwaiter().GetResult();
        return app;
    }

    /// <summary>The <c>Sluice</c> section, typed; a value that is not of its setting's type stops the start, naming the setting.</summary>
    private static SluiceOptions ReadOptions(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(SluiceOptions.Section).Get<SluiceOptions>() ?? new SluiceOptions();
        }
        catch (InvalidOperationException e)
        {
            // "Failed to convert configuration value 'abc' at 'Sluice:MaxBodyBytes' to type 'System.Int32'.": the value
            // shown is never a secret, since only typed settings fail to convert and the secret ones are strings.
            throw new StartupException(e.Message, e);
        }
    }

    /// <summary>The format asked for, or else text for a person at a terminal and JSON for a log collector.</summary>
    private static bool LogsAsText(string? format) => format switch
    {
        "text" => true,
        "json" => false,
        _ => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") != "true",
    };

    /// <summary>SQLite in the data directory, or what <c>Sluice:Database</c> (<c>SLUICE_DATABASE</c>) names.</summary>
    private static SqlAccountStore CreateDatabase(SluiceOptions options, string? database, TimeProvider time)
    {
        string directory = Path.GetFullPath(options.DataDirectory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Sluice:DataDirectory (SLUICE_DATA_DIR): cannot create the directory {directory}: {WhyNoDirectory(directory, e)}", e);
        }

        var setting = DatabaseSetting.Parse(database, directory);
        var secrets = new SecretBox(EncryptionKeySource.Load(options.EncryptionKey, directory));
        try
        {
            return AccountStoreFactory.Create(setting, secrets, time);
        }
        catch (Exception e) when (setting.Engine == DatabaseEngine.Sqlite && (e is SqliteException or IOException or UnauthorizedAccessException))
        {
            string named = string.IsNullOrWhiteSpace(database)
                ? "Sluice:DataDirectory (SLUICE_DATA_DIR)"
                : $"{DatabaseSetting.ConfigurationKey} ({DatabaseSetting.EnvironmentVariable})";
            string why = e is SqliteException ? e.Message : WhyNoDirectory(Path.GetDirectoryName(setting.Target)!, e);
            throw new StartupException($"{named}: cannot open the SQLite database {setting.Target}: {why}", e);
        }
    }

    /// <summary>Why a directory cannot be made: a file where a directory is needed, or what the system said.</summary>
    private static string WhyNoDirectory(string directory, Exception failure)
    {
        for (string? path = directory; path is not null; path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                return $"{path} is a file.";
            }
        }

        return failure.Message;
    }

    /// <summary><c>SLUICE_DATA_DIR</c>, <c>SLUICE_ENCRYPTION_KEY</c> and the others, as operators write them.</summary>
    private static void MapFriendlyEnvironment(ConfigurationManager configuration)
    {
        var mapped = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("SLUICE_DATA_DIR") is { Length: > 0 } dataDir)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.DataDirectory)}"] = dataDir;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_ENCRYPTION_KEY") is { Length: > 0 } key)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.EncryptionKey)}"] = key;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_LOG_FORMAT") is { Length: > 0 } logFormat)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.LogFormat)}"] = logFormat;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_ADMIN_TOKEN") is { Length: > 0 } adminToken)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.AdminToken)}"] = adminToken;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_CONFIG") is { Length: > 0 } artifactsConfig)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.ArtifactsConfig)}"] = artifactsConfig;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_IDENTITIES") is { Length: > 0 } identities)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.IdentitiesConfig)}"] = identities;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_SECRETS_DIR") is { Length: > 0 } secretsDirectory)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.SecretsDirectory)}"] = secretsDirectory;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_AZURE_WORKLOAD_IDENTITY") is { Length: > 0 } workloadIdentity)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.AzureWorkloadIdentity)}"] = workloadIdentity;
        }

        if (Environment.GetEnvironmentVariable("SLUICE_AZURE_BLOB_ENDPOINT") is { Length: > 0 } blobEndpoint)
        {
            mapped[$"{SluiceOptions.Section}:{nameof(SluiceOptions.AzureBlobEndpoint)}"] = blobEndpoint;
        }

        if (Environment.GetEnvironmentVariable(DatabaseSetting.EnvironmentVariable) is { Length: > 0 } database)
        {
            mapped[DatabaseSetting.ConfigurationKey] = database;
        }

        if (mapped.Count > 0)
        {
            configuration.AddInMemoryCollection(mapped);
        }
    }
}
