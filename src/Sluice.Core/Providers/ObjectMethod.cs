namespace Sluice.Core.Providers;

/// <summary>The HTTP methods a presigned object URL is made for, whatever the store.</summary>
public enum ObjectMethod
{
    Get,
    Put,
    Delete,
}

public static class ObjectMethodNames
{
    public static string ToHttpMethod(this ObjectMethod method) => method switch
    {
        ObjectMethod.Get => "GET",
        ObjectMethod.Put => "PUT",
        ObjectMethod.Delete => "DELETE",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static bool TryParse(string? value, out ObjectMethod method)
    {
        switch (value?.ToUpperInvariant())
        {
            case "GET": method = ObjectMethod.Get; return true;
            case "PUT": method = ObjectMethod.Put; return true;
            case "DELETE": method = ObjectMethod.Delete; return true;
            default: method = default; return false;
        }
    }
}
