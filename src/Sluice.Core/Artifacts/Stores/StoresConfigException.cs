namespace Sluice.Core.Artifacts.Stores;

/// <summary>A store configuration that cannot be used; <see cref="Errors"/> lists every problem found, each with its line.</summary>
public sealed class StoresConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
