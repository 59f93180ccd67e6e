using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Transfers;

/// <summary>
/// Plans a push: the files under the given local paths and the keys they get, every key checked
/// before anything is sent. A file goes to <c>DESTINATION/its-name</c>; a directory's contents go
/// under <c>DESTINATION/</c> with their relative paths (empty directories are not kept: S3 has none).
/// </summary>
public static class LocalFiles
{
    private const int MaxReported = 20;

    /// <exception cref="ArtifactPathException">A path does not exist, or some file cannot become a key; every problem is listed (up to 20).</exception>
    public static IReadOnlyList<LocalFile> Plan(RunLayout run, IReadOnlyList<string> localPaths, RunPath destination)
    {
        var problems = new List<string>();
        var files = new List<LocalFile>();
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in localPaths)
        {
            string full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                Add(full, Path.GetFileName(full));
            }
            else if (Directory.Exists(full))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
                IEnumerable<string> found;
                try
                {
                    found = Directory.EnumerateFiles(full, "*", options).Order(StringComparer.Ordinal).ToList();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{input}: cannot be read ({e.Message})");
                    continue;
                }

                foreach (string file in found)
                {
                    string relative = Path.GetRelativePath(full, file);
                    if (Path.DirectorySeparatorChar != '/')
                    {
                        relative = relative.Replace(Path.DirectorySeparatorChar, '/');
                    }

                    Add(file, relative);
                }
            }
            else
            {
                problems.Add($"{input}: no such file or directory");
            }
        }

        if (problems.Count > 0)
        {
            string more = problems.Count > MaxReported ? $"{Environment.NewLine}... and {problems.Count - MaxReported} more" : "";
            throw new ArtifactPathException(string.Join(Environment.NewLine, problems.Take(MaxReported)) + more);
        }

        return files;

        void Add(string fullPath, string relative)
        {
            try
            {
                RunPath path = destination.Append(relative);
                string key = run.KeyOf(path);
                if (byKey.TryGetValue(key, out string? other))
                {
                    problems.Add($"{fullPath}: goes to {path}, as {other} does");
                    return;
                }

                byKey.Add(key, fullPath);
                files.Add(new LocalFile(fullPath, path, key, new FileInfo(fullPath).Length));
            }
            catch (ArtifactPathException e)
            {
                problems.Add($"{fullPath}: refused, {e.Message}");
            }
        }
    }
}
