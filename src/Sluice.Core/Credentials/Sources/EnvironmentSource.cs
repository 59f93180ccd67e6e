using Sluice.Core.Signing;

namespace Sluice.Core.Credentials.Sources;

/// <summary>
/// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c>, or its older
/// name <c>AWS_SECURITY_TOKEN</c>, which the .NET SDK does not read but boto and the CLI still do.
/// </summary>
public sealed class EnvironmentSource(CredentialEnvironment environment) : ICredentialSource
{
    public string Name => "environment";

    public Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken)
    {
        string? accessKeyId = environment.Get("AWS_ACCESS_KEY_ID");
        string? secret = environment.Get("AWS_SECRET_ACCESS_KEY");
        if (accessKeyId is null || secret is null)
        {
            throw new CredentialSourceException(accessKeyId is null
                ? "AWS_ACCESS_KEY_ID is not set"
                : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        }

        string? token = environment.Get("AWS_SESSION_TOKEN") ?? environment.Get("AWS_SECURITY_TOKEN");
        return Task.FromResult(new SourcedCredentials(new SigningCredentials(accessKeyId, secret, token), Name));
    }
}
