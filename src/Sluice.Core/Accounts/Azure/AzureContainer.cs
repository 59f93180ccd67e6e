namespace Sluice.Core.Accounts.Azure;

/// <summary>
/// Aidbox's <c>AzureContainer</c>: a container of a storage account, signed for with an
/// <see cref="AzureAccount"/>. <see cref="Extension"/> is what a generated blob name ends with
/// (without its dot); <see cref="Endpoint"/> replaces <c>https://{storage}.blob.core.windows.net</c>
/// for emulators and sovereign clouds.
/// </summary>
public sealed record AzureContainer(string Id, string AccountId, string Storage, string Container, string? Extension, Uri? Endpoint)
{
    /// <summary>The blob service's URL with a trailing '/': what the container's name follows.</summary>
    public Uri ServiceUri => Endpoint is { } endpoint
        ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/")
        : new Uri($"https://{Storage}.blob.core.windows.net/");
}
