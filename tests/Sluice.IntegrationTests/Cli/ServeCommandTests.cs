using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sluice.IntegrationTests.Credentials;
using Sluice.IntegrationTests.Persistence;

namespace Sluice.IntegrationTests.Cli;

/// <summary>
/// <c>sluice serve</c> refusing to start, as an operator sees it: a wrong setting, or what it names,
/// is one line on stderr that names the setting and holds no secret, exit code 2, no stack trace.
/// </summary>
public sealed class ServeCommandTests
{
    private const string DatabaseExpected =
        "sluice serve: Sluice:Database (SLUICE_DATABASE) must be empty (SQLite in the data directory), a SQLite path (*.db, *.sqlite, *.sqlite3 or sqlite:PATH), "
        + "or a PostgreSQL connection string (Host=…;Database=…;Username=…) or URL (postgres://user:password@host:port/database)";

    private const string WrongKey =
        "sluice serve: The encryption key (SLUICE_ENCRYPTION_KEY or encryption.key in the data directory) is not the one this database's secrets were written with.";

    [Fact]
    public async Task A_wrong_stores_file_stops_the_start_with_file_line_messages_and_exit_code_2()
    {
        string directory = Directory.CreateTempSubdirectory("sluice-serve-").FullName;
        try
        {
            string config = Path.Combine(directory, "stores.yaml");
            await File.WriteAllTextAsync(config, "connections:\n  - name: a\n    kind: gcs\n    schema:\n      bucket: \"s3://bucket/\"\n");
            var result = await SluiceProcess.RunAsync(
                ["serve", "--urls", "http://127.0.0.1:0"],
                environment: new Dictionary<string, string>
                {
                    ["SLUICE_CONFIG"] = config,
                    ["SLUICE_DATA_DIR"] = Path.Combine(directory, "data"),
                    ["SLUICE_ADMIN_TOKEN"] = "sluice_test_" + Guid.NewGuid().ToString("N"),
                });
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"sluice serve: {config} line 3", result.StandardError);
            Assert.Contains("s3", result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError); // a message, not a stack trace
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_identities_file_stops_the_start_with_file_line_messages_and_exit_code_2()
    {
        string directory = Directory.CreateTempSubdirectory("sluice-serve-").FullName;
        try
        {
            string identities = Path.Combine(directory, "identities.yaml");
            await File.WriteAllTextAsync(identities, "issuers:\n  - issuer: http://idp.example.com\n    audiences: [sluice]\n    rules:\n      - name: r\n        scope: {admin: true}\n");
            var result = await SluiceProcess.RunAsync(
                ["serve", "--urls", "http://127.0.0.1:0"],
                environment: new Dictionary<string, string>
                {
                    ["SLUICE_IDENTITIES"] = identities,
                    ["SLUICE_DATA_DIR"] = Path.Combine(directory, "data"),
                    ["SLUICE_ADMIN_TOKEN"] = "sluice_test_" + Guid.NewGuid().ToString("N"),
                });
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"sluice serve: {identities} line 2: issuers[0].issuer must be https://", result.StandardError);
            Assert.Contains($"sluice serve: {identities} line 6: issuers[0].rules[0].scope.admin: an identity from a token issuer is never admin", result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_database_setting_that_is_no_path_nor_connection_string_stops_the_start_in_one_line()
    {
        using var directory = new TempDirectory();
        var result = await ServeAsync(directory, new() { ["SLUICE_DATABASE"] = "nonsense" });
        AssertRefused(result, DatabaseExpected + ".");
    }

    [Fact]
    public async Task A_connection_string_with_an_unknown_keyword_stops_the_start_in_one_line_without_its_password()
    {
        using var directory = new TempDirectory();
        var result = await ServeAsync(directory, new() { ["SLUICE_DATABASE"] = "Host=db.internal;Password=SECRETPW;Bogus=1" });
        AssertRefused(result, DatabaseExpected + "; the connection string cannot set 'bogus' (an unknown keyword, or a value it does not take).");
        AssertNowhere("SECRETPW", result);
    }

    [Fact]
    public async Task A_SQLite_path_that_is_no_database_stops_the_start_in_one_line()
    {
        using var directory = new TempDirectory();
        string file = Path.Combine(directory.Path, "not-a-database.db");
        await File.WriteAllTextAsync(file, "these are not the pages of a SQLite database, whatever the name says\n");
        var result = await ServeAsync(directory, new() { ["SLUICE_DATABASE"] = file });
        AssertRefused(result, $"sluice serve: Sluice:Database (SLUICE_DATABASE): cannot open the SQLite database {file}: SQLite Error 26: 'file is not a database'.");
    }

    [Fact]
    public async Task Another_encryption_key_on_an_existing_SQLite_database_stops_the_start_in_one_line()
    {
        using var directory = new TempDirectory();
        string first = NewKey();
        await using (await SluiceServerProcess.StartAsync(new Dictionary<string, string?> { ["SLUICE_DATA_DIR"] = DataOf(directory), ["SLUICE_ENCRYPTION_KEY"] = first }))
        {
            Assert.True(File.Exists(Path.Combine(DataOf(directory), "sluice.db")));
        }

        string other = NewKey();
        var result = await ServeAsync(directory, new() { ["SLUICE_ENCRYPTION_KEY"] = other });
        AssertRefused(result, WrongKey);
        AssertNowhere(first, result);
        AssertNowhere(other, result);
    }

    [Fact]
    public async Task Another_encryption_key_on_an_existing_PostgreSQL_database_stops_the_start_in_one_line()
    {
        using var directory = new TempDirectory();
        string database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            string first = NewKey();
            await using (await SluiceServerProcess.StartAsync(new Dictionary<string, string?> { ["SLUICE_DATABASE"] = database, ["SLUICE_ENCRYPTION_KEY"] = first }))
            {
                // Its start wrote the key check into the database.
            }

            string other = NewKey();
            var result = await ServeAsync(directory, new() { ["SLUICE_DATABASE"] = database, ["SLUICE_ENCRYPTION_KEY"] = other });
            AssertRefused(result, WrongKey);
            AssertNowhere(first, result);
            AssertNowhere(other, result);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_stops_the_start_in_one_line_naming_where_without_the_password()
    {
        using var directory = new TempDirectory();
        int closed = SluiceServerProcess.FreePort(); // nothing listens there: the connection is refused at once
        var result = await ServeAsync(directory, new() { ["SLUICE_DATABASE"] = $"Host=127.0.0.1;Port={closed};Username=x;Password=SECRETPW;Database=y" });
        AssertRefused(result, $"sluice serve: Sluice:Database (SLUICE_DATABASE): cannot connect to PostgreSQL at 127.0.0.1:{closed}: Connection refused.");
        AssertNowhere("SECRETPW", result);
    }

    [Fact]
    public async Task A_port_in_use_stops_the_start_in_one_line_naming_the_address()
    {
        using var directory = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = await ServeAsync(directory, [], urls: $"http://127.0.0.1:{port}");
        AssertRefused(result, $"sluice serve: cannot listen on http://127.0.0.1:{port} (--urls): address already in use.");
    }

    [Fact]
    public async Task An_invalid_option_stops_the_start_with_the_validators_line()
    {
        using var directory = new TempDirectory();
        var result = await ServeAsync(directory, new() { ["SLUICE_LOG_FORMAT"] = "xml" });
        AssertRefused(result, "sluice serve: Sluice:LogFormat (SLUICE_LOG_FORMAT) must be json or text.");
    }

    [Fact]
    public async Task An_option_value_of_the_wrong_type_stops_the_start_in_one_line_naming_the_setting()
    {
        using var directory = new TempDirectory();
        var result = await ServeAsync(directory, new() { ["Sluice__MaxBodyBytes"] = "lots" });
        AssertRefused(result, "sluice serve: Failed to convert configuration value 'lots' at 'Sluice:MaxBodyBytes' to type 'System.Int32'.");
    }

    [Fact]
    public async Task Several_invalid_options_stop_the_start_with_one_line_each_never_the_key()
    {
        using var directory = new TempDirectory();
        const string Malformed = "bm90LTMyLWJ5dGVz"; // base64 of 12 bytes
        var result = await ServeAsync(directory, new() { ["SLUICE_LOG_FORMAT"] = "xml", ["SLUICE_ENCRYPTION_KEY"] = Malformed });
        AssertRefused(
            result,
            "sluice serve: Sluice:EncryptionKey (SLUICE_ENCRYPTION_KEY) must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)."
            + Environment.NewLine
            + "sluice serve: Sluice:LogFormat (SLUICE_LOG_FORMAT) must be json or text.");
        AssertNowhere(Malformed, result);
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_stops_the_start_in_one_line()
    {
        using var directory = new TempDirectory();
        string file = Path.Combine(directory.Path, "a-file");
        await File.WriteAllTextAsync(file, "");
        string data = Path.Combine(file, "data");
        var result = await ServeAsync(directory, new() { ["SLUICE_DATA_DIR"] = data });
        AssertRefused(result, $"sluice serve: Sluice:DataDirectory (SLUICE_DATA_DIR): cannot create the directory {data}: {file} is a file.");
    }

    [Fact]
    public async Task An_unknown_argument_is_refused_before_anything_starts()
    {
        var result = await SluiceProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--no-such-option"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unrecognized command or argument '--no-such-option'", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, ": Microsoft.Hosting.Lifetime[14]")] // "info" before it, in colour
    [InlineData("json", "{\"EventId\":14,\"LogLevel\":\"Information\",\"Category\":\"Microsoft.Hosting.Lifetime\"")]
    public async Task On_a_terminal_the_log_is_text_unless_SLUICE_LOG_FORMAT_says_otherwise(string? format, string expected)
    {
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string> { ["SLUICE_DATA_DIR"] = DataOf(directory), ["SLUICE_ADMIN_TOKEN"] = "sluice_test_" + Guid.NewGuid().ToString("N") };
        if (format is not null)
        {
            environment["SLUICE_LOG_FORMAT"] = format;
        }

        string output = await SluiceProcess.RunOnTerminalUntilAsync(["serve", "--urls", "http://127.0.0.1:0"], "Now listening on", environment);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        if (format is null)
        {
            Assert.DoesNotContain("{\"EventId\"", output, StringComparison.Ordinal);
        }
    }

    /// <summary><c>sluice serve</c> on <paramref name="directory"/>'s data directory (unless the environment names another) with an admin token.</summary>
    private static Task<SluiceProcess.Result> ServeAsync(TempDirectory directory, Dictionary<string, string> environment, string urls = "http://127.0.0.1:0")
    {
        environment.TryAdd("SLUICE_DATA_DIR", DataOf(directory));
        environment.TryAdd("SLUICE_ADMIN_TOKEN", "sluice_test_" + Guid.NewGuid().ToString("N"));
        return SluiceProcess.RunAsync(["serve", "--urls", urls], environment: environment);
    }

    private static void AssertRefused(SluiceProcess.Result result, string expected)
    {
        Assert.Equal(expected, result.StandardError.Trim());
        Assert.Equal(2, result.ExitCode);

        // A message, not a stack trace: neither on stderr nor in the log on stdout.
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput, StringComparison.Ordinal);
    }

    private static void AssertNowhere(string secret, SluiceProcess.Result result)
    {
        Assert.DoesNotContain(secret, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.StandardOutput, StringComparison.Ordinal);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string DataOf(TempDirectory directory) => Path.Combine(directory.Path, "data");
}
