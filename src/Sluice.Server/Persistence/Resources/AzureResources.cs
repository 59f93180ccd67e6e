using Sluice.Core.Accounts.Azure;

namespace Sluice.Server.Persistence.Resources;

/// <summary>How <see cref="AzureAccount"/> and <see cref="AzureContainer"/> are kept as <see cref="StoredResource"/>s: which fields are secret, and back.</summary>
public static class AzureResources
{
    public const string AccountType = "AzureAccount";
    public const string ContainerType = "AzureContainer";

    public static StoredResource Store(AzureAccount account)
    {
        var fields = new Dictionary<string, string> { ["sasType"] = account.SasType == AzureSasType.UserDelegation ? "userDelegation" : "account" };
        var secrets = new Dictionary<string, string>();
        Add(fields, "tenantId", account.TenantId);
        Add(fields, "clientId", account.ClientId);
        Add(fields, "authorityHost", account.AuthorityHost?.AbsoluteUri);
        Add(secrets, "key", account.Key is null ? null : Convert.ToBase64String(account.Key));
        Add(secrets, "clientSecret", account.ClientSecret);
        return new StoredResource(AccountType, account.Id, fields, secrets);
    }

    public static StoredResource Store(AzureContainer container)
    {
        var fields = new Dictionary<string, string>
        {
            ["account"] = container.AccountId,
            ["storage"] = container.Storage,
            ["container"] = container.Container,
        };
        Add(fields, "extension", container.Extension);
        Add(fields, "endpoint", container.Endpoint?.AbsoluteUri);
        return new StoredResource(ContainerType, container.Id, fields, new Dictionary<string, string>());
    }

    /// <summary>The resource a row holds, typed: an <see cref="AzureAccount"/> or an <see cref="AzureContainer"/>, or null for a type this build does not know.</summary>
    public static object? Materialize(StoredResource row) => row.Type switch
    {
        AccountType => new AzureAccount(
            row.Id,
            row.Fields.GetValueOrDefault("sasType") == "userDelegation" ? AzureSasType.UserDelegation : AzureSasType.Account,
            row.Secrets.TryGetValue("key", out string? key) ? Convert.FromBase64String(key) : null,
            row.Fields.GetValueOrDefault("tenantId"),
            row.Fields.GetValueOrDefault("clientId"),
            row.Secrets.GetValueOrDefault("clientSecret"),
            row.Fields.TryGetValue("authorityHost", out string? host) ? new Uri(host) : null),
        ContainerType => new AzureContainer(
            row.Id,
            row.Fields["account"],
            row.Fields["storage"],
            row.Fields["container"],
            row.Fields.GetValueOrDefault("extension"),
            row.Fields.TryGetValue("endpoint", out string? endpoint) ? new Uri(endpoint, UriKind.Absolute) : null),
        _ => null,
    };

    private static void Add(Dictionary<string, string> fields, string name, string? value)
    {
        if (value is not null)
        {
            fields[name] = value;
        }
    }
}
