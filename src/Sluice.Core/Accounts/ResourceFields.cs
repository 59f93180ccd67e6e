namespace Sluice.Core.Accounts;

/// <summary>
/// The fields of one resource's request body (flat: a reference <c>account: {id, resourceType}</c>
/// comes as <c>account.id</c> and <c>account.resourceType</c>), read with the checks every
/// resource shares, each problem added to <see cref="Problems"/> under the field's name.
/// </summary>
public sealed class ResourceFields(string resourceType, string id, IReadOnlyDictionary<string, string?> fields)
{
    public List<FieldError> Problems { get; } = [];

    /// <summary>The URL's id, the body's <c>id</c> and <c>resourceType</c> when given, and no field but <paramref name="known"/>.</summary>
    public void CheckShape(IReadOnlyCollection<string> known)
    {
        if (AccountId.Problem(id) is { } idProblem)
        {
            Problems.Add(new FieldError("id", idProblem));
        }

        foreach (string name in fields.Keys)
        {
            if (name is not ("id" or "resourceType") && !known.Contains(name))
            {
                Problems.Add(new FieldError(name, $"is not a field of {resourceType} (known: {string.Join(", ", known)})"));
            }
        }

        if (Optional("id") is { } bodyId && bodyId != id)
        {
            Problems.Add(new FieldError("id", $"'{bodyId}' in the body differs from '{id}' in the URL"));
        }

        if (Optional("resourceType") is { } type && type != resourceType)
        {
            Problems.Add(new FieldError("resourceType", $"must be {resourceType} when given"));
        }
    }

    /// <summary>The field's value, or null when it is absent or empty.</summary>
    public string? Optional(string name) =>
        fields.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>The field's value, or null with "is required" (and <paramref name="hint"/>) added when it is absent.</summary>
    public string? Required(string name, string hint)
    {
        string? value = Optional(name);
        if (value is null)
        {
            Problems.Add(new FieldError(name, $"is required ({hint})"));
        }

        return value;
    }

    /// <summary>A secret or identifier: printable ASCII without spaces, at most <paramref name="maxLength"/>; never quoted back.</summary>
    public string? Credential(string name, int maxLength)
    {
        string? value = Optional(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            Problems.Add(new FieldError(name, $"must be at most {maxLength} characters"));
            return null;
        }

        if (value.Any(ch => ch is <= ' ' or > '~'))
        {
            Problems.Add(new FieldError(name, "may hold only printable ASCII without spaces"));
            return null;
        }

        return value;
    }

    /// <summary>Adds <paramref name="problem"/> under <paramref name="name"/> when it is not null; the value when it is.</summary>
    public string? Checked(string name, string? value, string? problem)
    {
        if (problem is not null)
        {
            Problems.Add(new FieldError(name, problem));
            return null;
        }

        return value;
    }
}
