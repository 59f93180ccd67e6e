namespace Sluice.Core.Addressing;

/// <summary>Azure's storage account naming rules: 3–24 lower-case letters and digits.</summary>
public static class StorageAccountName
{
    /// <summary>Returns why <paramref name="name"/> is not a valid storage account name, or null when it is.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrEmpty(name) || name.Length < 3 || name.Length > 24 || !name.All(ch => ch is >= 'a' and <= 'z' or >= '0' and <= '9')
            ? "must be 3 to 24 lower-case letters and digits"
            : null;
}
