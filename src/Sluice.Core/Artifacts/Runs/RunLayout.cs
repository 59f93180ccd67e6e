using Sluice.Core.Addressing;
using Sluice.Core.Artifacts.Stores;

namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// Where a run's files live in a store: <c>&lt;prefix&gt;/&lt;run&gt;/&lt;section&gt;/&lt;path&gt;</c>,
/// e.g. <c>experiments/run-42/outputs/model.bin</c>. Everything that becomes part of a key is
/// checked here, before any request is sent: no absolute paths, no '..', '.' or empty segments
/// (other tools resolve them and would see other objects), no control characters or backslashes,
/// and at most <see cref="ObjectKey.MaxBytes"/> bytes of UTF-8 in the whole key.
/// </summary>
public sealed class RunLayout
{
    public const int MaxRunNameLength = 255;

    private readonly string _runPrefix;

    /// <exception cref="ArtifactPathException">The run name is not a single plain path segment.</exception>
    public RunLayout(ArtifactStore store, string run)
    {
        if (RunNameProblem(run) is { } problem)
        {
            throw new ArtifactPathException($"the run name '{run}' {problem}");
        }

        Store = store;
        Run = run;
        _runPrefix = (store.Prefix.Length == 0 ? "" : store.Prefix + "/") + run + "/";
    }

    public ArtifactStore Store { get; }

    public string Run { get; }

    /// <summary>The key prefix of everything the run holds, ending in '/'.</summary>
    public string RunPrefix => _runPrefix;

    /// <summary>The object key of a file at <paramref name="path"/>.</summary>
    /// <exception cref="ArtifactPathException">The key would be longer than S3 allows.</exception>
    public string KeyOf(RunPath path)
    {
        string key = _runPrefix + path.Value;
        if (ObjectKey.Problem(key) is { } problem)
        {
            throw new ArtifactPathException($"the key for '{path}' {problem}");
        }

        return key;
    }

    /// <summary>The key prefix of a directory at <paramref name="path"/>, ending in '/'.</summary>
    public string DirectoryPrefixOf(RunPath path) => KeyOf(path) + "/";

    /// <summary>The path inside the run of a key under <see cref="RunPrefix"/>, or null for a key outside it.</summary>
    public string? RelativeToRun(string key) =>
        key.StartsWith(_runPrefix, StringComparison.Ordinal) ? key[_runPrefix.Length..] : null;

    public static string? RunNameProblem(string? run)
    {
        if (string.IsNullOrEmpty(run))
        {
            return "must not be empty";
        }

        if (run.Length > MaxRunNameLength)
        {
            return $"must be at most {MaxRunNameLength} characters";
        }

        if (run.Contains('/') || run.Contains('\\'))
        {
            return "must be a single name, without '/' or '\\'";
        }

        return SegmentProblem(run);
    }

    /// <summary>Why a '/'-separated relative path cannot be part of a key, or null when it can.</summary>
    public static string? SegmentsProblem(string path)
    {
        if (path.Length == 0)
        {
            return "is empty";
        }

        if (path.StartsWith('/') || path.StartsWith('\\') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            return "is absolute; give a path relative to the run (e.g. outputs/model.bin)";
        }

        if (path.Contains('\\'))
        {
            return "must use '/' between directories, not '\\'";
        }

        foreach (string segment in path.Split('/'))
        {
            if (SegmentProblem(segment) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? SegmentProblem(string segment)
    {
        if (segment.Length == 0)
        {
            return "has an empty segment ('//')";
        }

        if (segment is "." or "..")
        {
            return $"has a '{segment}' segment; paths are taken literally, never resolved";
        }

        foreach (char ch in segment)
        {
            if (char.IsControl(ch))
            {
                return "has a control character, which S3 keys cannot carry reliably";
            }
        }

        try
        {
            _ = ObjectKey.StrictUtf8.GetByteCount(segment);
        }
        catch (System.Text.EncoderFallbackException)
        {
            return "is not valid Unicode (an unpaired surrogate)";
        }

        return null;
    }
}
