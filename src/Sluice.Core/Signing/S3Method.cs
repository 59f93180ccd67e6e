namespace Sluice.Core.Signing;

/// <summary>The HTTP methods a presigned object URL is made for.</summary>
public enum S3Method
{
    Get,
    Put,
    Delete,
}

public static class S3MethodNames
{
    public static string ToHttpMethod(this S3Method method) => method switch
    {
        S3Method.Get => "GET",
        S3Method.Put => "PUT",
        S3Method.Delete => "DELETE",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static bool TryParse(string? value, out S3Method method)
    {
        switch (value?.ToUpperInvariant())
        {
            case "GET": method = S3Method.Get; return true;
            case "PUT": method = S3Method.Put; return true;
            case "DELETE": method = S3Method.Delete; return true;
            default: method = default; return false;
        }
    }
}
