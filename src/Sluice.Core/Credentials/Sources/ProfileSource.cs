using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Sluice.Core.Credentials.Sources;

/// <summary>
/// A profile of the shared <c>credentials</c> and <c>config</c> files (<c>AWS_PROFILE</c>, else
/// <c>default</c>; <c>AWS_SHARED_CREDENTIALS_FILE</c> and <c>AWS_CONFIG_FILE</c> move the files).
/// The SDK resolves what the profile says: keys, <c>credential_process</c>, <c>role_arn</c> with
/// <c>source_profile</c>, SSO.
/// </summary>
public sealed class ProfileSource(CredentialEnvironment environment) : ICredentialSource
{
    public string Name => "profile";

    public async Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken)
    {
        string profile = environment.Get("AWS_PROFILE") ?? environment.Get("AWS_DEFAULT_PROFILE") ?? "default";
        AWSCredentials? credentials;
        try
        {
            var profiles = environment.Get("AWS_SHARED_CREDENTIALS_FILE") is { } file ? new CredentialProfileStoreChain(file) : new CredentialProfileStoreChain();
            if (!profiles.TryGetAWSCredentials(profile, out credentials))
            {
                throw new CredentialSourceException($"no profile '{profile}' in {CredentialsFile()} or {ConfigFile()}");
            }

            return await SdkCredentials.FetchAsync(credentials, $"{Name} '{profile}'");
        }
        catch (Exception e) when (e is not CredentialSourceException and not OperationCanceledException)
        {
            throw new CredentialSourceException($"profile '{profile}': {SdkCredentials.Describe(e)}", e);
        }
    }

    private string CredentialsFile() => environment.Get("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials";

    private string ConfigFile() => environment.Get("AWS_CONFIG_FILE") ?? "~/.aws/config";
}
