using Azure.Core;
using Azure.Identity;

namespace Sluice.Core.Providers.Azure;

/// <summary>
/// Entra ID token credentials, from Azure.Identity: an application's client secret (an
/// <c>AzureAccount</c> with <c>sasType: userDelegation</c>), or DefaultAzureCredential's sources
/// (environment, workload identity federation token file, managed identity) for workload identity.
/// An authority host other than Microsoft's clouds (Azure Stack, a local issuer) is not in
/// Microsoft's instance discovery, so discovery is turned off for it.
/// </summary>
public static class EntraCredentials
{
    private static readonly string[] MicrosoftHosts = ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.microsoftonline.de"];

    public static TokenCredential ClientSecret(string tenantId, string clientId, string clientSecret, Uri? authorityHost)
    {
        var options = new ClientSecretCredentialOptions { DisableInstanceDiscovery = !IsMicrosoft(authorityHost) };
        if (authorityHost is not null)
        {
            options.AuthorityHost = authorityHost;
        }

        return new ClientSecretCredential(tenantId, clientId, clientSecret, options);
    }

    /// <summary>DefaultAzureCredential, with the authority host of <c>AZURE_AUTHORITY_HOST</c> when set.</summary>
    public static TokenCredential Workload(string? authorityHost)
    {
        Uri? host = Uri.TryCreate(authorityHost, UriKind.Absolute, out Uri? parsed) ? parsed : null;
        var options = new DefaultAzureCredentialOptions
        {
            DisableInstanceDiscovery = !IsMicrosoft(host),
            ExcludeInteractiveBrowserCredential = true,
            ExcludeVisualStudioCredential = true,
            ExcludeVisualStudioCodeCredential = true,
        };
        if (host is not null)
        {
            options.AuthorityHost = host;
        }

        return new DefaultAzureCredential(options);
    }

    private static bool IsMicrosoft(Uri? authorityHost) => authorityHost is null || MicrosoftHosts.Contains(authorityHost.Host, StringComparer.OrdinalIgnoreCase);
}
