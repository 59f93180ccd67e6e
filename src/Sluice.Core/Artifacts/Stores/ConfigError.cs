namespace Sluice.Core.Artifacts.Stores;

/// <summary>One thing wrong in a store configuration: where (file and 1-based line) and what is expected.</summary>
public sealed record ConfigError(string File, int Line, string Message)
{
    public override string ToString() => $"{File} line {Line}: {Message}";
}
