using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Sluice.Core.Signing;

namespace Sluice.Core.Credentials.Sources;

/// <summary>
/// IRSA's flow: the token in <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> exchanged for the role
/// <c>AWS_ROLE_ARN</c> by STS <c>AssumeRoleWithWebIdentity</c>. The SDK's STS client makes the
/// call; we build it ourselves so that the STS endpoint can be an S3-compatible server's
/// (<c>AWS_ENDPOINT_URL_STS</c>), which the SDK's own web-identity provider cannot be pointed at.
/// </summary>
public sealed class WebIdentitySource(CredentialEnvironment environment) : ICredentialSource
{
    public string Name => "web-identity";

    public async Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken)
    {
        string? tokenFile = environment.Get("AWS_WEB_IDENTITY_TOKEN_FILE");
        string? roleArn = environment.Get("AWS_ROLE_ARN");
        if (tokenFile is null || roleArn is null)
        {
            throw new CredentialSourceException(tokenFile is null ? "AWS_WEB_IDENTITY_TOKEN_FILE is not set" : "AWS_ROLE_ARN is not set");
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialSourceException($"cannot read the token file {tokenFile}: {e.Message}", e);
        }

        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), StsConfig());
            var response = await sts.AssumeRoleWithWebIdentityAsync(
                new AssumeRoleWithWebIdentityRequest
                {
                    RoleArn = roleArn,
                    RoleSessionName = environment.Get("AWS_ROLE_SESSION_NAME") ?? $"sluice-{DateTime.UtcNow:yyyyMMddHHmmss}",
                    WebIdentityToken = token,
                },
                cancellationToken);
            var keys = response.Credentials;
            DateTimeOffset? expiresAt = keys.Expiration is { } expiration
                ? new DateTimeOffset(DateTime.SpecifyKind(expiration.ToUniversalTime(), DateTimeKind.Utc))
                : null;
            return new SourcedCredentials(new SigningCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken, expiresAt), Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CredentialSourceException($"STS AssumeRoleWithWebIdentity for {roleArn}: {SdkCredentials.Describe(e)}", e);
        }
    }

    private AmazonSecurityTokenServiceConfig StsConfig()
    {
        var config = new AmazonSecurityTokenServiceConfig();
        string region = environment.Get("AWS_REGION") ?? environment.Get("AWS_DEFAULT_REGION") ?? "us-east-1";
        if (environment.Get("AWS_ENDPOINT_URL_STS") is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }
}
