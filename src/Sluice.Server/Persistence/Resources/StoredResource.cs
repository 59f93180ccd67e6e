namespace Sluice.Server.Persistence.Resources;

/// <summary>
/// One row of <c>cloud_resource</c>: a resource of a cloud other than AWS (<c>AzureAccount</c>,
/// <c>AzureContainer</c>), its plain fields, and its secret fields (sealed in the database, open
/// only in memory). <see cref="Key"/>, <c>Type/id</c>, is the row's id.
/// </summary>
public sealed class StoredResource(string type, string id, IReadOnlyDictionary<string, string> fields, IReadOnlyDictionary<string, string> secrets)
{
    public string Type { get; } = type;

    public string Id { get; } = id;

    public string Key => KeyOf(Type, Id);

    public IReadOnlyDictionary<string, string> Fields { get; } = fields;

    public IReadOnlyDictionary<string, string> Secrets { get; } = secrets;

    public static string KeyOf(string type, string id) => type + "/" + id;

    public override string ToString() => $"StoredResource({Key}, secrets redacted)";
}
