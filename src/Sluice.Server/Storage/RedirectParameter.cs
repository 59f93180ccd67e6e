using Sluice.Core.Accounts;

namespace Sluice.Server.Storage;

/// <summary>The <c>?redirect=</c> query parameter of a download: <c>true</c> answers 302 to the URL, <c>false</c> (the default) the JSON.</summary>
public static class RedirectParameter
{
    public const string Name = "redirect";

    /// <summary>Whether to redirect; false with <paramref name="problem"/> set when the value is neither true nor false.</summary>
    public static bool Read(IQueryCollection query, out FieldError? problem)
    {
        problem = null;
        if (!query.TryGetValue(Name, out var values))
        {
            return false;
        }

        if (values is not ["true"] and not ["false"])
        {
            problem = new FieldError(Name, "must be true or false");
        }

        return values is ["true"];
    }
}
