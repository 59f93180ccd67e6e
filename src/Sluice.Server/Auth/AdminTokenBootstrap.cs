using Sluice.Core.Access;
using Sluice.Server.Persistence;

namespace Sluice.Server.Auth;

/// <summary>
/// First run stays one command. The operator's <c>SLUICE_ADMIN_TOKEN</c> is made an admin
/// token if it is not one already. Without it, when no usable admin token exists, one is
/// generated, printed once to standard output (never to a log), and written to
/// <c>admin-token</c> in the data directory, readable by the owner only.
/// </summary>
public static class AdminTokenBootstrap
{
    public const string FileName = "admin-token";

    public static async Task EnsureAsync(ITokenStore tokens, string? configuredToken, string dataDirectory, TimeProvider time, TextWriter output)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (!string.IsNullOrEmpty(configuredToken))
        {
            // Nothing happens when it is stored already (by an earlier start, or by another instance now).
            await tokens.CreateAsync(
                new AccessToken(TokenSecret.NewId(), "admin (SLUICE_ADMIN_TOKEN)", TokenScope.AdminScope, now, null, null), TokenSecret.Hash(configuredToken), CancellationToken.None);
            return;
        }

        var existing = await tokens.ListAsync(CancellationToken.None);
        if (existing.Any(t => t.Scope.Admin && t.Unusable(now) is null))
        {
            return;
        }

        string secret = TokenSecret.Generate();
        await tokens.CreateAsync(new AccessToken(TokenSecret.NewId(), "admin (generated at first start)", TokenScope.AdminScope, now, null, null), TokenSecret.Hash(secret), CancellationToken.None);
        string path = Path.Combine(dataDirectory, FileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(path, options))
        {
            await writer.WriteLineAsync(secret);
        }

        await output.WriteLineAsync($"Sluice admin token (shown once; also written to {path}):\n  {secret}");
    }
}
