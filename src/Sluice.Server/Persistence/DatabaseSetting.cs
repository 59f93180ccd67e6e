using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using Sluice.Server.Hosting;

namespace Sluice.Server.Persistence;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where accounts are kept, from <c>Sluice:Database</c> (<c>SLUICE_DATABASE</c>): empty for
/// <c>sluice.db</c> in the data directory; a path ending in .db, .sqlite or .sqlite3, or
/// <c>sqlite:PATH</c>, for SQLite there; a PostgreSQL connection string (<c>Host=…;…</c>) or
/// URL (<c>postgres://user:password@host:port/database?sslmode=require</c>) for PostgreSQL.
/// </summary>
/// <param name="Engine">The engine.</param>
/// <param name="Target">The SQLite file's full path, or an Npgsql connection string.</param>
public sealed record DatabaseSetting(DatabaseEngine Engine, string Target)
{
    public const string ConfigurationKey = "Sluice:Database";
    public const string EnvironmentVariable = "SLUICE_DATABASE";
    public const string DefaultFileName = "sluice.db";

    private const string Expected =
        "Sluice:Database (SLUICE_DATABASE) must be empty (SQLite in the data directory), a SQLite path (*.db, *.sqlite, *.sqlite3 or sqlite:PATH), "
        + "or a PostgreSQL connection string (Host=…;Database=…;Username=…) or URL (postgres://user:password@host:port/database)";

    private static readonly string[] SqliteExtensions = [".db", ".sqlite", ".sqlite3"];

    public static DatabaseSetting Parse(string? value, string dataDirectory)
    {
        string text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return new DatabaseSetting(DatabaseEngine.Sqlite, Path.GetFullPath(Path.Combine(dataDirectory, DefaultFileName)));
        }

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseSetting(DatabaseEngine.Postgres, PostgresUrl.ToConnectionString(text));
        }

        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            string path = text["sqlite:".Length..];
            return path.Length > 0
                ? new DatabaseSetting(DatabaseEngine.Sqlite, Path.GetFullPath(path))
                : throw new StartupException($"{Expected}; 'sqlite:' names no file.");
        }

        string? connectionStringProblem = null;
        if (text.Contains('='))
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(text);
                if (!string.IsNullOrWhiteSpace(builder.Host))
                {
                    return new DatabaseSetting(DatabaseEngine.Postgres, builder.ConnectionString);
                }

                connectionStringProblem = "the connection string names no Host";
            }
            catch (ArgumentException e)
            {
                // Npgsql names the keyword, never a value such as a password.
                connectionStringProblem = e.ParamName is { Length: > 0 } keyword
                    ? $"the connection string cannot set '{keyword}' (an unknown keyword, or a value it does not take)"
                    : e.Message;
            }
        }

        if (SqliteExtensions.Any(e => text.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            return new DatabaseSetting(DatabaseEngine.Sqlite, Path.GetFullPath(text));
        }

        throw new StartupException(connectionStringProblem is null ? $"{Expected}." : $"{Expected}; {connectionStringProblem}.");
    }

    /// <summary>
    /// The start-up error for a PostgreSQL that cannot be reached or refuses Sluice: where, from
    /// the connection string's host and port (never the whole string, which may hold a password), and why.
    /// </summary>
    internal static StartupException PostgresFailure(string connectionString, Exception failure)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        string where = builder.Host is { } host && host.Contains(',') ? host : $"{builder.Host}:{builder.Port}";
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException refused:
                    return new StartupException($"{ConfigurationKey} ({EnvironmentVariable}): PostgreSQL at {where} refused: {refused.MessageText} ({refused.SqlState}).", failure);
                case SocketException socket:
                    return new StartupException($"{ConfigurationKey} ({EnvironmentVariable}): cannot connect to PostgreSQL at {where}: {socket.Message}.", failure);
                case TimeoutException:
                    return new StartupException($"{ConfigurationKey} ({EnvironmentVariable}): cannot connect to PostgreSQL at {where}: no answer within {builder.Timeout} s.", failure);
            }
        }

        return new StartupException($"{ConfigurationKey} ({EnvironmentVariable}): PostgreSQL at {where}: {failure.Message}", failure);
    }

    /// <summary>For logs: the engine and where, without user names or passwords.</summary>
    public override string ToString()
    {
        if (Engine == DatabaseEngine.Sqlite)
        {
            return $"SQLite {Target}";
        }

        var builder = new NpgsqlConnectionStringBuilder(Target);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>libpq's URL form, turned into Npgsql's keywords.</summary>
    private static class PostgresUrl
    {
        private static readonly Regex Shape = new(
            @"^postgres(?:ql)?://(?:(?<user>[^:@/?]*)(?::(?<password>[^@/?]*))?@)?(?<hosts>[^/?]*)(?:/(?<database>[^?]*))?(?:\?(?<query>.*))?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

        private static readonly Dictionary<string, string> Keywords = new(StringComparer.OrdinalIgnoreCase)
        {
            ["user"] = "Username",
            ["password"] = "Password",
            ["dbname"] = "Database",
            ["host"] = "Host",
            ["port"] = "Port",
            ["sslmode"] = "SSL Mode",
            ["sslrootcert"] = "Root Certificate",
            ["sslcert"] = "SSL Certificate",
            ["sslkey"] = "SSL Key",
            ["sslpassword"] = "SSL Password",
            ["application_name"] = "Application Name",
            ["connect_timeout"] = "Timeout",
            ["target_session_attrs"] = "Target Session Attributes",
            ["options"] = "Options",
        };

        public static string ToConnectionString(string url)
        {
            Match match = Shape.Match(url);
            if (!match.Success)
            {
                throw new StartupException($"{Expected}; the postgres:// URL is not of the form postgres://user:password@host:port/database?option=value.");
            }

            var builder = new NpgsqlConnectionStringBuilder();
            try
            {
                SetHosts(builder, Uri.UnescapeDataString(match.Groups["hosts"].Value));
                if (match.Groups["user"].Success && match.Groups["user"].Length > 0)
                {
                    builder.Username = Uri.UnescapeDataString(match.Groups["user"].Value);
                }

                if (match.Groups["password"].Success)
                {
                    builder.Password = Uri.UnescapeDataString(match.Groups["password"].Value);
                }

                if (match.Groups["database"].Length > 0)
                {
                    builder.Database = Uri.UnescapeDataString(match.Groups["database"].Value);
                }

                foreach (string pair in match.Groups["query"].Value.Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    int equals = pair.IndexOf('=', StringComparison.Ordinal);
                    string name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                    string value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
                    if (name.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                    {
                        value = value.Replace("-", "", StringComparison.Ordinal); // verify-full → VerifyFull
                    }

                    if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
                    {
                        SetHosts(builder, value);
                        continue;
                    }

                    builder[Keywords.GetValueOrDefault(name, name)] = value;
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                throw new StartupException($"{Expected}; the postgres:// URL has a bad part: {e.Message}", e);
            }

            return string.IsNullOrWhiteSpace(builder.Host)
                ? throw new StartupException($"{Expected}; the postgres:// URL names no host.")
                : builder.ConnectionString;
        }

        /// <summary><c>host</c>, <c>host:port</c>, <c>[v6]:port</c>, or several of them separated by commas.</summary>
        private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
        {
            if (hosts.Length == 0)
            {
                return;
            }

            string[] parts = hosts.Split(',');
            if (parts.Length > 1)
            {
                builder.Host = hosts; // Npgsql takes host:port,host:port as it is.
                return;
            }

            string host = hosts;
            int colon = host.LastIndexOf(':');
            int bracket = host.LastIndexOf(']');
            if (colon > bracket && (bracket >= 0 || host.IndexOf(':') == colon))
            {
                builder.Port = int.Parse(host[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                host = host[..colon];
            }

            builder.Host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        }
    }
}
