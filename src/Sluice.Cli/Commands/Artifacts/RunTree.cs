using System.Globalization;
using System.Text;
using Sluice.Core.Artifacts;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary>
/// Draws files as a tree with sizes:
/// <code>
/// run-42/  (3 files, 1.2 MiB)
/// └── outputs/  (3 files, 1.2 MiB)
///     ├── model.bin  1.2 MiB
///     └── eval/  (2 files, 20 B)
/// </code>
/// Directories come before files, each sorted by name (ordinal).
/// </summary>
public static class RunTree
{
    public static string Render(string rootName, IReadOnlyList<RemoteFile> files, string? under)
    {
        var root = new Node();
        foreach (RemoteFile file in files)
        {
            string path = under is not null && file.Path.StartsWith(under + "/", StringComparison.Ordinal) ? file.Path[(under.Length + 1)..] : file.Path;
            if (under is not null && file.Path == under)
            {
                path = file.Path[(file.Path.LastIndexOf('/') + 1)..];
            }

            Node node = root;
            string[] segments = path.Split('/');
            for (int i = 0; i < segments.Length - 1; i++)
            {
                node = node.Directories.TryGetValue(segments[i], out Node? child) ? child : node.Directories[segments[i]] = new Node();
            }

            node.Files.Add((segments[^1], file.Size));
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{rootName}/  {Totals(root)}\n");
        Write(root, "", text);
        return text.ToString();
    }

    private static void Write(Node node, string indent, StringBuilder text)
    {
        var entries = node.Directories.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => (d.Key, (Node?)d.Value, 0L))
            .Concat(node.Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Name, (Node?)null, f.Size)))
            .ToList();
        for (int i = 0; i < entries.Count; i++)
        {
            var (name, directory, size) = entries[i];
            bool last = i == entries.Count - 1;
            text.Append(indent).Append(last ? "└── " : "├── ");
            if (directory is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}/  {Totals(directory)}\n");
                Write(directory, indent + (last ? "    " : "│   "), text);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}  {Sizes.Format(size)}\n");
            }
        }
    }

    private static string Totals(Node node)
    {
        var (count, bytes) = node.Totals();
        return string.Create(CultureInfo.InvariantCulture, $"({count} {(count == 1 ? "file" : "files")}, {Sizes.Format(bytes)})");
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Directories { get; } = new(StringComparer.Ordinal);

        public List<(string Name, long Size)> Files { get; } = [];

        public (int Count, long Bytes) Totals()
        {
            int count = Files.Count;
            long bytes = Files.Sum(f => f.Size);
            foreach (Node child in Directories.Values)
            {
                var (c, b) = child.Totals();
                count += c;
                bytes += b;
            }

            return (count, bytes);
        }
    }
}
