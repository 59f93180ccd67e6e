namespace Sluice.Core.Artifacts.Runs;

/// <summary>Nothing is stored at the path asked for.</summary>
public sealed class ArtifactNotFoundException(string message) : Exception(message);
