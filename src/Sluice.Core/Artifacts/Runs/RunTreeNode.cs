namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// A file or a directory of a run, with sizes: a directory carries its file count and total
/// bytes, and its children, directories first, each sorted by name (ordinal).
/// </summary>
public sealed record RunTreeNode(string Name, string Path, bool IsDirectory, long Size, int Files, DateTimeOffset? LastModified, IReadOnlyList<RunTreeNode> Children)
{
    /// <summary>
    /// The tree of <paramref name="files"/> (paths relative to the run) at <paramref name="rootPath"/>:
    /// "" for the whole run, a directory, or a file (then the root is that file).
    /// </summary>
    public static RunTreeNode Build(string rootName, string rootPath, IReadOnlyList<RemoteFile> files)
    {
        if (files.Count == 1 && rootPath.Length > 0 && files[0].Path == rootPath)
        {
            return File(rootName, files[0]);
        }

        var root = new Directory();
        string under = rootPath.Length == 0 ? "" : rootPath + "/";
        foreach (RemoteFile file in files)
        {
            if (!file.Path.StartsWith(under, StringComparison.Ordinal))
            {
                continue;
            }

            Directory node = root;
            string[] segments = file.Path[under.Length..].Split('/');
            for (int i = 0; i < segments.Length - 1; i++)
            {
                node = node.Directories.TryGetValue(segments[i], out Directory? child) ? child : node.Directories[segments[i]] = new Directory();
            }

            node.Files.Add(file);
        }

        return root.ToNode(rootName, rootPath);
    }

    private static RunTreeNode File(string name, RemoteFile file) => new(name, file.Path, false, file.Size, 1, file.LastModified, []);

    private sealed class Directory
    {
        public Dictionary<string, Directory> Directories { get; } = new(StringComparer.Ordinal);

        public List<RemoteFile> Files { get; } = [];

        public RunTreeNode ToNode(string name, string path)
        {
            var children = new List<RunTreeNode>();
            foreach (var (childName, child) in Directories.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                children.Add(child.ToNode(childName, path.Length == 0 ? childName : path + "/" + childName));
            }

            foreach (RemoteFile file in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                children.Add(File(file.Path[(file.Path.LastIndexOf('/') + 1)..], file));
            }

            return new RunTreeNode(name, path, true, children.Sum(c => c.Size), children.Sum(c => c.Files), null, children);
        }
    }
}
