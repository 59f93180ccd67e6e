using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Server.Accounts;
using Sluice.Server.Persistence;
using Sluice.Server.Storage;

namespace Sluice.Server.Hosting;

/// <summary>Builds the Sluice web application; <c>sluice serve</c> and the tests both start it here.</summary>
public static class SluiceServer
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string DatabaseFileName = "sluice.db";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        MapFriendlyEnvironment(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // ASP.NET's per-request information logs repeat every path; keep them for when they are asked for.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
        });

        builder.Services.AddOptions<SluiceOptions>().BindConfiguration(SluiceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SluiceOptions>, SluiceOptionsValidator>();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new SigV4Presigner(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(CredentialEnvironment.Process);
        builder.Services.AddSingleton(sp => new CachedCredentialProvider(
            DefaultCredentialChain.Standard(sp.GetRequiredService<CredentialEnvironment>()),
            sp.GetRequiredService<TimeProvider>(),
            new CredentialRefreshOptions
            {
                RefreshBeforeExpiry = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SluiceOptions>>().Value.CredentialRefreshBeforeExpirySeconds),
            },
            sp.GetRequiredService<ILogger<CachedCredentialProvider>>()));
        builder.Services.AddSingleton<ICredentialResolver, AccountCredentialResolver>();
        builder.Services.AddSingleton<IAccountStore>(sp => CreateAccountStore(sp.GetRequiredService<IOptions<SluiceOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        // Last, so that what the caller registers (a test's environment, a clock) wins.
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRawStoragePaths();
        app.UseRouting();
        app.MapAccountEndpoints();
        app.MapAccountCheckEndpoint();
        app.MapPresignEndpoints();

        // Open the store now, so a bad data directory or key fails the start, not the first request.
        _ = app.Services.GetRequiredService<IAccountStore>();
        return app;
    }

    private static SqliteAccountStore CreateAccountStore(SluiceOptions options, TimeProvider time)
    {
        string directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var secrets = new SecretBox(EncryptionKeySource.Load(options.EncryptionKey, directory));
        return new SqliteAccountStore(Path.Combine(directory, DatabaseFileName), secrets, time);
    }

    /// <summary><c>SLUICE_DATA_DIR</c> and <c>SLUICE_ENCRYPTION_KEY</c>, as operators write them.</summary>
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

        if (mapped.Count > 0)
        {
            configuration.AddInMemoryCollection(mapped);
        }
    }
}
