using System.Globalization;
using System.Text;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary>
/// Draws a run's <see cref="RunTreeNode"/> tree (the one the HTTP API answers) as text with sizes:
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
    /// <param name="under">The path listed (a directory or a file of the run), or null for the whole run.</param>
    public static string Render(string rootName, IReadOnlyList<RemoteFile> files, string? under)
    {
        RunTreeNode root = RunTreeNode.Build(rootName, under ?? "", files);

        // A file listed on its own is drawn as the one entry under its root line.
        IReadOnlyList<RunTreeNode> entries = root.IsDirectory ? root.Children : [root with { Name = root.Path[(root.Path.LastIndexOf('/') + 1)..] }];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{rootName}/  {Totals(root)}\n");
        Write(entries, "", text);
        return text.ToString();
    }

    private static void Write(IReadOnlyList<RunTreeNode> entries, string indent, StringBuilder text)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            RunTreeNode entry = entries[i];
            bool last = i == entries.Count - 1;
            text.Append(indent).Append(last ? "└── " : "├── ");
            if (entry.IsDirectory)
            {
                text.Append(CultureInfo.InvariantCulture, $"{entry.Name}/  {Totals(entry)}\n");
                Write(entry.Children, indent + (last ? "    " : "│   "), text);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{entry.Name}  {Sizes.Format(entry.Size)}\n");
            }
        }
    }

    private static string Totals(RunTreeNode node) =>
        string.Create(CultureInfo.InvariantCulture, $"({node.Files} {(node.Files == 1 ? "file" : "files")}, {Sizes.Format(node.Size)})");
}
