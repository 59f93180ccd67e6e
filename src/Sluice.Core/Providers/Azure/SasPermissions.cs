namespace Sluice.Core.Providers.Azure;

/// <summary>What a blob SAS allows; written in the service's fixed letter order (<see cref="SasPermissionLetters"/>).</summary>
[Flags]
public enum SasPermissions
{
    None = 0,
    Read = 1 << 0,
    Add = 1 << 1,
    Create = 1 << 2,
    Write = 1 << 3,
    Delete = 1 << 4,
    DeleteBlobVersion = 1 << 5,
    PermanentDelete = 1 << 6,
    List = 1 << 7,
    Tag = 1 << 8,
    Move = 1 << 9,
    Execute = 1 << 10,
    SetImmutabilityPolicy = 1 << 11,
}

public static class SasPermissionLetters
{
    /// <summary>The letters in the order the service requires them (sp=racwdxyltmei).</summary>
    private static readonly (SasPermissions Permission, char Letter)[] Order =
    [
        (SasPermissions.Read, 'r'), (SasPermissions.Add, 'a'), (SasPermissions.Create, 'c'), (SasPermissions.Write, 'w'),
        (SasPermissions.Delete, 'd'), (SasPermissions.DeleteBlobVersion, 'x'), (SasPermissions.PermanentDelete, 'y'),
        (SasPermissions.List, 'l'), (SasPermissions.Tag, 't'), (SasPermissions.Move, 'm'), (SasPermissions.Execute, 'e'),
        (SasPermissions.SetImmutabilityPolicy, 'i'),
    ];

    /// <summary>Writes the letters of <paramref name="permissions"/> into <paramref name="destination"/> (room for 12); returns how many.</summary>
    public static int Write(SasPermissions permissions, Span<char> destination)
    {
        int length = 0;
        foreach (var (permission, letter) in Order)
        {
            if ((permissions & permission) != 0)
            {
                destination[length++] = letter;
            }
        }

        return length;
    }

    public static string ToLetters(this SasPermissions permissions)
    {
        Span<char> letters = stackalloc char[Order.Length];
        return new string(letters[..Write(permissions, letters)]);
    }

    /// <summary>What a URL for <paramref name="method"/> needs: read, create-or-overwrite, delete.</summary>
    public static SasPermissions For(ObjectMethod method) => method switch
    {
        ObjectMethod.Get => SasPermissions.Read,
        ObjectMethod.Put => SasPermissions.Create | SasPermissions.Write,
        ObjectMethod.Delete => SasPermissions.Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
