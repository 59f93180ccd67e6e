namespace Sluice.Core.Addressing;

/// <summary>
/// Azure blob names: the characters <see cref="ObjectKey"/> allows, within Azure's limits (1,024 characters,
/// 254 path segments), and nothing that the service or a URL would turn into another name: no
/// '\' (the service reads it as '/'), no '.' or '..' segment (resolved away in the URL), no name
/// ending in '.' or '/' (the service drops them).
/// </summary>
public static class BlobName
{
    public const int MaxLength = 1024;
    public const int MaxSegments = 254;

    public static string? Problem(string? name)
    {
        if (ObjectKey.CharactersProblem(name) is { } keyProblem)
        {
            return keyProblem;
        }

        if (name!.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters (is {name.Length})";
        }

        if (name.Contains('\\'))
        {
            return "must not contain '\\' (Azure reads it as '/')";
        }

        if (name.EndsWith('.') || name.EndsWith('/'))
        {
            return "must not end with '.' or '/' (Azure drops them)";
        }

        string[] segments = name.Split('/');
        if (segments.Length > MaxSegments)
        {
            return $"must have at most {MaxSegments} segments separated by '/'";
        }

        return segments.Any(s => s is "." or "..") ? "must not have '.' or '..' segments (a URL resolves them away)" : null;
    }
}
