namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// The stores of one configuration file: the <c>artifactsStore:</c> entry (the default, when
/// there is one) and the <c>connections:</c> list. Names are unique across both.
/// </summary>
public sealed class ArtifactStores
{
    public ArtifactStores(string source, ArtifactStore? defaultStore, IReadOnlyList<ArtifactStore> connections)
    {
        Source = source;
        Default = defaultStore;
        All = defaultStore is null ? connections : [defaultStore, .. connections];
    }

    /// <summary>Where the configuration was read from, as it is named in messages.</summary>
    public string Source { get; }

    /// <summary>The <c>artifactsStore:</c> entry, or null when the file has only <c>connections:</c>.</summary>
    public ArtifactStore? Default { get; }

    public IReadOnlyList<ArtifactStore> All { get; }

    public ArtifactStore? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
