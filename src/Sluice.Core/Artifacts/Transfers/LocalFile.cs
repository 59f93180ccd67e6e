using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Transfers;

/// <summary>A local file to push: where it is, where it goes in the run, its key and size when planned.</summary>
public sealed record LocalFile(string FullPath, RunPath Path, string Key, long Size);
