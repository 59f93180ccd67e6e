namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// A validated path inside a run: a section (one of <see cref="RunSection.All"/>) and zero or
/// more segments under it, e.g. <c>outputs/model/weights.bin</c>.
/// </summary>
public sealed record RunPath
{
    private RunPath(string section, string relative)
    {
        Section = section;
        Relative = relative;
    }

    public string Section { get; }

    /// <summary>The part under the section, "" for the section itself.</summary>
    public string Relative { get; }

    /// <summary><c>section</c> or <c>section/relative</c>.</summary>
    public string Value => Relative.Length == 0 ? Section : Section + "/" + Relative;

    /// <summary>The last segment (a file's name, or the section's).</summary>
    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    public override string ToString() => Value;

    /// <summary>
    /// Parses a path such as <c>outputs/model/weights.bin</c>. One trailing '/' is allowed (a
    /// directory, as users type it); anything else that is not a plain relative path is refused.
    /// </summary>
    /// <exception cref="ArtifactPathException">The path is absolute, has '..', '.' or empty segments, or does not start with a section.</exception>
    public static RunPath Parse(string text)
    {
        string path = text.EndsWith('/') && text.Length > 1 ? text[..^1] : text;
        if (RunLayout.SegmentsProblem(path) is { } problem)
        {
            throw new ArtifactPathException($"the path '{text}' {problem}");
        }

        int slash = path.IndexOf('/');
        string section = slash < 0 ? path : path[..slash];
        if (!RunSection.IsSection(section))
        {
            throw new ArtifactPathException(
                $"the path '{text}' must start with one of a run's directories: {string.Join(", ", RunSection.All)} (e.g. outputs/model.bin)");
        }

        return new RunPath(section, slash < 0 ? "" : path[(slash + 1)..]);
    }

    /// <summary>This path with a relative path appended (e.g. a file found under a pushed directory).</summary>
    /// <exception cref="ArtifactPathException">The relative path is not a plain relative path.</exception>
    public RunPath Append(string relative)
    {
        if (relative.Length == 0)
        {
            return this;
        }

        if (RunLayout.SegmentsProblem(relative) is { } problem)
        {
            throw new ArtifactPathException($"the path '{relative}' {problem}");
        }

        return new RunPath(Section, Relative.Length == 0 ? relative : Relative + "/" + relative);
    }
}
