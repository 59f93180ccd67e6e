using Sluice.Core.Addressing;

namespace Sluice.Core.Accounts.Azure;

/// <summary>
/// Builds an <see cref="AzureContainer"/> from a request body's fields, as Aidbox writes it:
/// <c>account: {id, resourceType: AzureAccount}</c>, <c>storage</c> (the storage account's name),
/// <c>container</c>, and optionally <c>extension</c> and <c>endpoint</c>. Every problem at once.
/// </summary>
public static class AzureContainerReader
{
    public const string AccountIdField = "account.id";
    public const string AccountTypeField = "account.resourceType";
    public const string StorageField = "storage";
    public const string ContainerField = "container";
    public const string ExtensionField = "extension";
    public const string EndpointField = "endpoint";

    private static readonly string[] Known = ["account", AccountIdField, AccountTypeField, StorageField, ContainerField, ExtensionField, EndpointField];

    public static AzureContainer? Read(string id, IReadOnlyDictionary<string, string?> body, out IReadOnlyList<FieldError> errors)
    {
        var fields = new ResourceFields("AzureContainer", id, body);
        errors = fields.Problems;
        fields.CheckShape(Known);
        string? account = null;
        if (body.ContainsKey("account"))
        {
            fields.Problems.Add(new FieldError("account", "must be a reference: {id: <AzureAccount id>, resourceType: AzureAccount}"));
        }
        else
        {
            account = fields.Required(AccountIdField, "account: {id: <AzureAccount id>, resourceType: AzureAccount}");
        }

        account = account is null ? null : fields.Checked(AccountIdField, account, AccountId.Problem(account));
        if (fields.Optional(AccountTypeField) is { } type && type != "AzureAccount")
        {
            fields.Problems.Add(new FieldError(AccountTypeField, "must be AzureAccount"));
        }

        string? storage = fields.Required(StorageField, "the storage account's name");
        storage = storage is null ? null : fields.Checked(StorageField, storage, StorageAccountName.Problem(storage));
        string? container = fields.Required(ContainerField, "the container's name");
        container = container is null ? null : fields.Checked(ContainerField, container, ContainerName.Problem(container));
        string? extension = fields.Optional(ExtensionField) is { } text ? fields.Checked(ExtensionField, text.TrimStart('.'), ExtensionProblem(text.TrimStart('.'))) : null;

        Uri? endpoint = null;
        if (fields.Optional(EndpointField) is { } endpointText)
        {
            endpoint = Uri.TryCreate(endpointText, UriKind.Absolute, out Uri? parsed)
                && parsed.Scheme is "http" or "https" && parsed.Query.Length == 0 && parsed.Fragment.Length == 0 && parsed.UserInfo.Length == 0
                ? parsed
                : null;
            fields.Checked(EndpointField, endpointText, endpoint is null
                ? "must be the blob service's http(s) URL without query, such as http://127.0.0.1:10000/devstoreaccount1"
                : null);
        }

        return errors.Count == 0 ? new AzureContainer(id, account!, storage!, container!, extension, endpoint) : null;
    }

    private static string? ExtensionProblem(string extension) =>
        extension.Length is >= 1 and <= 16 && extension.All(char.IsAsciiLetterOrDigit)
            ? null
            : "must be 1 to 16 letters and digits, such as png (the generated blob name's extension)";
}
