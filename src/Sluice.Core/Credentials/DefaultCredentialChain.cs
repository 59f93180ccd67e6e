using Sluice.Core.Credentials.Sources;

namespace Sluice.Core.Credentials;

/// <summary>
/// The AWS default chain, in the order the SDKs share: environment, shared profile, web identity,
/// container, instance metadata. The first source that yields credentials wins; when none does,
/// the failure names every source and why it gave nothing.
/// </summary>
public sealed class DefaultCredentialChain(IReadOnlyList<ICredentialSource> sources) : ICredentialSource
{
    public static DefaultCredentialChain Standard(CredentialEnvironment environment) => new(
    [
        new EnvironmentSource(environment),
        new ProfileSource(environment),
        new WebIdentitySource(environment),
        new ContainerSource(environment),
        new InstanceMetadataSource(environment),
    ]);

    public string Name => "default-chain";

    public async Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>(sources.Count);
        foreach (ICredentialSource source in sources)
        {
            try
            {
                return await source.FetchAsync(cancellationToken);
            }
            catch (CredentialSourceException e)
            {
                failures.Add($"{source.Name}: {e.Message}");
            }
        }

        throw new CredentialSourceException("no source in the default credential chain gave credentials (" + string.Join("; ", failures) + ")");
    }
}
