using Sluice.Core.Configuration;

namespace Sluice.Core.Artifacts.Stores;

/// <summary>A store configuration that cannot be used; <see cref="ConfigFileException.Errors"/> lists every problem found, each with its line.</summary>
public sealed class StoresConfigException(IReadOnlyList<ConfigError> errors) : ConfigFileException(errors);
