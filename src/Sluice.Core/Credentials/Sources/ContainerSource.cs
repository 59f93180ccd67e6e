using Amazon.Runtime;

namespace Sluice.Core.Credentials.Sources;

/// <summary>
/// The container credentials endpoint: ECS task roles (<c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>)
/// and EKS Pod Identity (<c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> with the token from
/// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>), through the SDK's <see cref="GenericContainerCredentials"/>.
/// </summary>
public sealed class ContainerSource(CredentialEnvironment environment) : ICredentialSource
{
    public string Name => "container";

    public async Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken)
    {
        if (environment.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is null && environment.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI") is null)
        {
            throw new CredentialSourceException("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
        }

        try
        {
            return await SdkCredentials.FetchAsync(new GenericContainerCredentials(), Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CredentialSourceException($"container endpoint: {SdkCredentials.Describe(e)}", e);
        }
    }
}
