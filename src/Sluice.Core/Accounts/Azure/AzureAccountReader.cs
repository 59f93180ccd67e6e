using Sluice.Core.Providers.Azure;

namespace Sluice.Core.Accounts.Azure;

/// <summary>
/// Builds an <see cref="AzureAccount"/> from a request body's fields, as Aidbox writes it: <c>key</c>
/// (the storage account key, base64), or <c>tenantId</c>, <c>clientId</c> and <c>clientSecret</c>
/// with <c>sasType: userDelegation</c> (and, for a sovereign cloud, <c>authorityHost</c>). Every
/// problem is reported at once; a secret is never quoted back.
/// </summary>
public static class AzureAccountReader
{
    public const string KeyField = "key";
    public const string SasTypeField = "sasType";
    public const string TenantIdField = "tenantId";
    public const string ClientIdField = "clientId";
    public const string ClientSecretField = "clientSecret";
    public const string AuthorityHostField = "authorityHost";

    private static readonly string[] Known = [KeyField, SasTypeField, TenantIdField, ClientIdField, ClientSecretField, AuthorityHostField];

    public static AzureAccount? Read(string id, IReadOnlyDictionary<string, string?> body, out IReadOnlyList<FieldError> errors)
    {
        var fields = new ResourceFields("AzureAccount", id, body);
        errors = fields.Problems;
        fields.CheckShape(Known);

        AzureSasType sasType = AzureSasType.Account;
        switch (fields.Optional(SasTypeField))
        {
            case null or "account":
                break;
            case "userDelegation":
                sasType = AzureSasType.UserDelegation;
                break;
            default:
                fields.Problems.Add(new FieldError(SasTypeField, "must be account or userDelegation"));
                break;
        }

        byte[]? key = null;
        string? tenantId = null, clientId = null, clientSecret = null;
        Uri? authorityHost = null;
        if (sasType == AzureSasType.Account)
        {
            if (fields.Required(KeyField, "the storage account key, from its Access keys; or tenantId, clientId and clientSecret with sasType: userDelegation") is { } text)
            {
                key = StorageAccountKey.Decode(text, minimumBytes: 16);
                fields.Checked(KeyField, "", key is null ? "must be the storage account key in base64, as the portal shows it" : null);
            }

            foreach (string field in new[] { TenantIdField, ClientIdField, ClientSecretField, AuthorityHostField })
            {
                if (fields.Optional(field) is not null)
                {
                    fields.Problems.Add(new FieldError(field, "goes with sasType: userDelegation"));
                }
            }
        }
        else
        {
            if (fields.Optional(KeyField) is not null)
            {
                fields.Problems.Add(new FieldError(KeyField, "does not go with sasType: userDelegation (the key is the service's, fetched with the application's credentials)"));
            }

            tenantId = fields.Required(TenantIdField, "the Entra ID tenant: a GUID or a domain such as contoso.onmicrosoft.com");
            tenantId = tenantId is null ? null : fields.Checked(TenantIdField, tenantId, TenantProblem(tenantId));
            clientId = fields.Required(ClientIdField, "the application (client) id, a GUID");
            clientId = clientId is null ? null : fields.Checked(ClientIdField, clientId, Guid.TryParse(clientId, out _) ? null : "must be the application (client) id, a GUID");
            if (fields.Required(ClientSecretField, "the application's client secret") is not null)
            {
                clientSecret = fields.Credential(ClientSecretField, 1024);
            }

            if (fields.Optional(AuthorityHostField) is { } host)
            {
                authorityHost = Uri.TryCreate(host, UriKind.Absolute, out Uri? parsed) && parsed.Scheme == Uri.UriSchemeHttps && parsed.Query.Length == 0
                    ? parsed
                    : null;
                fields.Checked(AuthorityHostField, host, authorityHost is null ? "must be an https URL such as https://login.microsoftonline.com/" : null);
            }
        }

        return errors.Count == 0 ? new AzureAccount(id, sasType, key, tenantId, clientId, clientSecret, authorityHost) : null;
    }

    private static string? TenantProblem(string tenant) =>
        Guid.TryParse(tenant, out _) || (tenant.Length <= 253 && tenant.Contains('.') && tenant.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-'))
            ? null
            : "must be a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com";
}
