namespace Sluice.Core.Configuration;

/// <summary>One thing wrong in a configuration file: where (file and 1-based line) and what is expected.</summary>
public sealed record ConfigError(string File, int Line, string Message)
{
    public override string ToString() => $"{File} line {Line}: {Message}";
}
