namespace Sluice.Core.Artifacts.Runs;

/// <summary>A run name or path inside a run that is refused before any request is sent; the message says why.</summary>
public sealed class ArtifactPathException(string message) : Exception(message);
