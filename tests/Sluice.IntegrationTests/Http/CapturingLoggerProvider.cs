using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// Keeps every log entry of every category at every level as text: the formatted message, the
/// structured values, the exception (with its whole ToString) and the active scopes. The tests
/// search this text for secrets, so it holds everything a real log sink could be given.
/// </summary>
[ProviderAlias("Capture")]
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    public string Text => string.Join('\n', _entries);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{logLevel} {category}[{eventId.Id}:{eventId.Name}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values)
                {
                    text.Append(CultureInfo.InvariantCulture, $" |{name}={value}");
                }
            }

            owner._scopes.ForEachScope(
                static (scope, builder) =>
                {
                    builder.Append(" |scope: ").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scopeValues)
                    {
                        foreach (var (name, value) in scopeValues)
                        {
                            builder.Append(CultureInfo.InvariantCulture, $" {name}={value}");
                        }
                    }
                },
                text);

            if (exception is not null)
            {
                text.Append('\n').Append(exception);
            }

            owner._entries.Enqueue(text.ToString());
        }
    }
}
