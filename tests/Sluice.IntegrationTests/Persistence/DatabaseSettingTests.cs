using Npgsql;
using Sluice.Server.Hosting;
using Sluice.Server.Persistence;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>How <c>Sluice:Database</c> (<c>SLUICE_DATABASE</c>) picks the engine and where.</summary>
public sealed class DatabaseSettingTests
{
    private static readonly string DataDirectory = Path.Combine(Path.GetTempPath(), "sluice-setting");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_IsSqliteInTheDataDirectory(string? value)
    {
        var setting = DatabaseSetting.Parse(value, DataDirectory);
        Assert.Equal(DatabaseEngine.Sqlite, setting.Engine);
        Assert.Equal(Path.Combine(DataDirectory, "sluice.db"), setting.Target);
    }

    [Theory]
    [InlineData("/var/lib/sluice/accounts.db", "/var/lib/sluice/accounts.db")]
    [InlineData("/var/lib/sluice/accounts.SQLITE", "/var/lib/sluice/accounts.SQLITE")]
    [InlineData("/data/a=b.sqlite3", "/data/a=b.sqlite3")]
    [InlineData("sqlite:/var/lib/sluice/accounts", "/var/lib/sluice/accounts")]
    [InlineData("SQLITE:/tmp/x.db", "/tmp/x.db")]
    public void Paths_AreSqlite(string value, string path)
    {
        var setting = DatabaseSetting.Parse(value, DataDirectory);
        Assert.Equal(DatabaseEngine.Sqlite, setting.Engine);
        Assert.Equal(path, setting.Target);
    }

    [Fact]
    public void ARelativePath_IsResolvedAgainstTheWorkingDirectory()
    {
        var setting = DatabaseSetting.Parse("data/accounts.db", DataDirectory);
        Assert.Equal(Path.GetFullPath("data/accounts.db"), setting.Target);
    }

    [Fact]
    public void AConnectionString_IsPostgres()
    {
        var setting = DatabaseSetting.Parse("Host=db.internal;Port=5433;Username=sluice;Password=\"pa;ss\";Database=sluice", DataDirectory);
        Assert.Equal(DatabaseEngine.Postgres, setting.Engine);
        var builder = new NpgsqlConnectionStringBuilder(setting.Target);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("sluice", builder.Username);
        Assert.Equal("pa;ss", builder.Password);
        Assert.Equal("sluice", builder.Database);
        Assert.DoesNotContain("pa;ss", setting.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AUrl_IsConvertedToAConnectionString()
    {
        var setting = DatabaseSetting.Parse("postgres://sluice%40corp:p%40ss%3Aw%2Frd@db.internal:5433/sluice%20db?sslmode=verify-full&application_name=sluice%20a&connect_timeout=7", DataDirectory);
        Assert.Equal(DatabaseEngine.Postgres, setting.Engine);
        var builder = new NpgsqlConnectionStringBuilder(setting.Target);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("sluice@corp", builder.Username);
        Assert.Equal("p@ss:w/rd", builder.Password);
        Assert.Equal("sluice db", builder.Database);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("sluice a", builder.ApplicationName);
        Assert.Equal(7, builder.Timeout);

        Assert.DoesNotContain("p@ss", setting.ToString(), StringComparison.Ordinal);
        Assert.Equal("PostgreSQL db.internal:5433/sluice db", setting.ToString());
    }

    [Theory]
    [InlineData("postgresql://db.internal/sluice", "db.internal", 5432, null)]
    [InlineData("postgres://[::1]:6543/sluice", "::1", 6543, null)]
    [InlineData("postgres://u@10.0.0.5/sluice", "10.0.0.5", 5432, "u")]
    [InlineData("postgres://a:5432,b:5433/sluice", "a:5432,b:5433", 5432, null)]
    public void UrlHosts(string url, string host, int port, string? user)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseSetting.Parse(url, DataDirectory).Target);
        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(user, builder.Username);
        Assert.Equal("sluice", builder.Database);
    }

    [Theory]
    [InlineData("accounts")]
    [InlineData("Database=sluice;Password=hunter2-secret")]
    [InlineData("Host=db;Password=hunter2-secret;Bogus=1")]
    [InlineData("postgres:///sluice?password=hunter2-secret")]
    [InlineData("sqlite:")]
    [InlineData("mysql://u:hunter2-secret@db/sluice")]
    public void AnythingElse_StopsTheStart_NamingTheSetting_WithoutItsSecrets(string value)
    {
        var failure = Assert.Throws<StartupException>(() => DatabaseSetting.Parse(value, DataDirectory));
        Assert.Contains("SLUICE_DATABASE", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.ToString(), StringComparison.Ordinal);
    }
}
