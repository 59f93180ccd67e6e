using Amazon.Runtime;

namespace Sluice.Core.Credentials.Sources;

/// <summary>
/// The EC2 instance profile through IMDSv2 (a session token first, then the role's credentials),
/// by the SDK's <see cref="InstanceProfileAWSCredentials"/>. <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>
/// moves the endpoint; <c>AWS_EC2_METADATA_DISABLED=true</c> turns the source off.
/// </summary>
public sealed class InstanceMetadataSource(CredentialEnvironment environment) : ICredentialSource
{
    public string Name => "instance-metadata";

    public async Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken)
    {
        if (environment.IsTrue("AWS_EC2_METADATA_DISABLED"))
        {
            throw new CredentialSourceException("AWS_EC2_METADATA_DISABLED is true");
        }

        try
        {
            using var credentials = new InstanceProfileAWSCredentials();
            return await SdkCredentials.FetchAsync(credentials, Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CredentialSourceException($"instance metadata: {SdkCredentials.Describe(e)}", e);
        }
    }
}
