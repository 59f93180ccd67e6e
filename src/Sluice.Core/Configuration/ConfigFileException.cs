namespace Sluice.Core.Configuration;

/// <summary>A configuration file that cannot be used; <see cref="Errors"/> lists every problem found, each with its line.</summary>
public class ConfigFileException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
