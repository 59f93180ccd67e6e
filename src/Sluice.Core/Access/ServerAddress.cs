namespace Sluice.Core.Access;

/// <summary>Where <c>sluice serve</c> listens unless told otherwise, and so where the client commands look for it.</summary>
public static class ServerAddress
{
    public const string Default = "http://127.0.0.1:8080";
}
