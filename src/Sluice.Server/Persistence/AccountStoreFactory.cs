namespace Sluice.Server.Persistence;

/// <summary>Opens the account store that <see cref="DatabaseSetting"/> names.</summary>
public static class AccountStoreFactory
{
    public static SqlAccountStore Create(DatabaseSetting setting, SecretBox secrets, TimeProvider time)
    {
        switch (setting.Engine)
        {
            case DatabaseEngine.Postgres:
                return new PostgresAccountStore(setting.Target, secrets, time);
            default:
                Directory.CreateDirectory(Path.GetDirectoryName(setting.Target)!);
                return new SqliteAccountStore(setting.Target, secrets, time);
        }
    }

    /// <summary>The store for a <c>Sluice:Database</c> value, with the data directory for the default SQLite file.</summary>
    public static SqlAccountStore Create(string? database, string dataDirectory, SecretBox secrets, TimeProvider time) =>
        Create(DatabaseSetting.Parse(database, dataDirectory), secrets, time);
}
