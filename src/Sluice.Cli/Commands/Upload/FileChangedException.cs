namespace Sluice.Cli.Commands.Upload;

/// <summary>The local file changed under the upload: its parts would not add up to one version of it.</summary>
public sealed class FileChangedException(string message) : Exception(message);
