using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Server.Hosting;
using Sluice.Server.Persistence;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// The one store suite, run against real SQLite (a temporary file) and real PostgreSQL (a fresh
/// database per test class): what <see cref="IAccountStore"/> promises, secrets sealed at rest,
/// the encryption-key check, migrations that can run again and race, and a created flag that
/// holds under concurrent puts. Stores are opened through <see cref="AccountStoreFactory"/>
/// with a <c>Sluice:Database</c> value, as the server opens them.
/// </summary>
public abstract class AccountStoreContract : IAsyncLifetime
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-store-suite";
    private const string SessionToken = "FwoGZXIvYXdzEBYaDH+store/suite/session/token==";

    private readonly StoreEngine _engine;
    private readonly List<IAccountStore> _opened = [];

    protected AccountStoreContract(StoreEngine engine) => _engine = engine;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        IAccountStore[] stores;
        lock (_opened)
        {
            stores = [.. _opened];
        }

        foreach (var store in stores)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Put_Find_List_Replace_Delete()
    {
        IAccountStore store = Open(_engine.Shared);
        string id = NewId("crud");
        string other = NewId("crud");

        Assert.Null(await store.FindAsync(id, default));
        Assert.True(await store.PutAsync(Account(id, "eu-west-1", "AKIAFIRST", Secret, SessionToken, "127.0.0.1:9000", pathStyle: true, useSsl: false), default));
        Assert.True(await store.PutAsync(Account(other, "us-east-1", null, null, null, null, pathStyle: false, useSsl: true), default));

        AssertAccount(await store.FindAsync(id, default), id, "eu-west-1", "AKIAFIRST", Secret, SessionToken, "127.0.0.1:9000", true, false);
        AssertAccount(await store.FindAsync(other, default), other, "us-east-1", null, null, null, null, false, true);

        // Replace: every field, secrets removed.
        Assert.False(await store.PutAsync(Account(id, "ap-south-1", "AKIASECOND", "second-secret", null, "[::1]:7480", pathStyle: false, useSsl: true), default));
        AssertAccount(await store.FindAsync(id, default), id, "ap-south-1", "AKIASECOND", "second-secret", null, "[::1]:7480", false, true);

        var listed = (await store.ListAsync(default)).Where(a => a.Id == id || a.Id == other).ToList();
        Assert.Equal(new[] { id, other }.Order(StringComparer.Ordinal), listed.Select(a => a.Id));
        var all = await store.ListAsync(default);
        Assert.Equal(all.Select(a => a.Id).Order(StringComparer.Ordinal), all.Select(a => a.Id));

        Assert.True(await store.DeleteAsync(id, default));
        Assert.False(await store.DeleteAsync(id, default));
        Assert.Null(await store.FindAsync(id, default));
        Assert.DoesNotContain(await store.ListAsync(default), a => a.Id == id);
        AssertAccount(await store.FindAsync(other, default), other, "us-east-1", null, null, null, null, false, true);

        // A deleted id can be created again.
        Assert.True(await store.PutAsync(Account(id, "eu-north-1", "AKIATHIRD", "third", null, null, false, true), default));
        AssertAccount(await store.FindAsync(id, default), id, "eu-north-1", "AKIATHIRD", "third", null, null, false, true);
    }

    [Fact]
    public async Task Ids_AreExact_NotCaseFolded()
    {
        IAccountStore store = Open(_engine.Shared);
        string id = NewId("case");
        Assert.True(await store.PutAsync(Account(id, "us-east-1", "AKIALOWER", "lower", null, null, false, true), default));
        Assert.True(await store.PutAsync(Account(id.ToUpperInvariant(), "us-east-1", "AKIAUPPER", "upper", null, null, false, true), default));
        Assert.Equal("AKIALOWER", (await store.FindAsync(id, default))!.AccessKeyId);
        Assert.Equal("AKIAUPPER", (await store.FindAsync(id.ToUpperInvariant(), default))!.AccessKeyId);
    }

    [Fact]
    public async Task Secrets_AreEncryptedAtRest()
    {
        string database = await _engine.CreateDatabaseAsync();
        IAccountStore store = Open(database);
        string id = NewId("sealed");
        string secret = "plain-secret-" + Guid.NewGuid().ToString("N");
        string token = "plain-token-" + Guid.NewGuid().ToString("N");
        await store.PutAsync(Account(id, "us-east-1", "AKIAVISIBLEKEYID", secret, token, null, false, true), default);
        await store.PutAsync(Account(id, "us-east-1", "AKIAVISIBLEKEYID", secret, token, null, false, true), default);

        byte[] raw = await _engine.RawAsync(database);
        string latin1 = Encoding.Latin1.GetString(raw);

        // The account is there (its id and key id are not secret), the secret and token are not:
        // neither as text nor as PostgreSQL's hex output of bytea.
        Assert.Contains(id, latin1, StringComparison.Ordinal);
        Assert.Contains("AKIAVISIBLEKEYID", latin1, StringComparison.Ordinal);
        foreach (string plain in new[] { secret, token })
        {
            Assert.DoesNotContain(plain, latin1, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(plain)), latin1, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)), latin1, StringComparison.Ordinal);
        }

        AssertAccount(await store.FindAsync(id, default), id, "us-east-1", "AKIAVISIBLEKEYID", secret, token, null, false, true);
    }

    [Fact]
    public async Task AnotherKey_IsRefusedAtStart_AndTheRightKeyStillOpens()
    {
        string database = await _engine.CreateDatabaseAsync();
        string id = NewId("key");
        await Open(database).PutAsync(Account(id, "us-east-1", "AKIAKEYCHECK", Secret, null, null, false, true), default);

        byte[] other = RandomNumberGenerator.GetBytes(32);
        var failure = Assert.Throws<StartupException>(() => Open(database, other));
        Assert.Contains("encryption key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(other), failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(_engine.Key), failure.ToString(), StringComparison.Ordinal);

        // Also on a database that holds no account yet, only the key check.
        string empty = await _engine.CreateDatabaseAsync();
        Open(empty);
        Assert.Throws<StartupException>(() => Open(empty, other));

        AssertAccount(await Open(database).FindAsync(id, default), id, "us-east-1", "AKIAKEYCHECK", Secret, null, null, false, true);
    }

    [Fact]
    public async Task Migrations_RunOnce_AndOpeningAgainChangesNothing()
    {
        string database = await _engine.CreateDatabaseAsync();
        IAccountStore first = Open(database);
        Assert.Equal(_engine.LatestSchemaVersion, await _engine.SchemaVersionAsync(database));
        string id = NewId("migrate");
        Assert.True(await first.PutAsync(Account(id, "us-west-2", "AKIAMIGRATE", Secret, SessionToken, null, false, true), default));

        for (int i = 0; i < 3; i++)
        {
            IAccountStore again = Open(database);
            Assert.Equal(_engine.LatestSchemaVersion, await _engine.SchemaVersionAsync(database));
            AssertAccount(await again.FindAsync(id, default), id, "us-west-2", "AKIAMIGRATE", Secret, SessionToken, null, false, true);
            Assert.Single(await again.ListAsync(default));
        }
    }

    [Fact]
    public async Task StoresOpenedTogether_OnAnEmptyDatabase_AllStart()
    {
        for (int round = 0; round < 3; round++)
        {
            string database = await _engine.CreateDatabaseAsync();
            const int Instances = 4;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var opening = Enumerable.Range(0, Instances).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                return Open(database);
            })).ToArray();
            gate.SetResult();
            IAccountStore[] stores = await Task.WhenAll(opening);

            Assert.Equal(_engine.LatestSchemaVersion, await _engine.SchemaVersionAsync(database));
            string id = NewId("race");
            Assert.True(await stores[0].PutAsync(Account(id, "us-east-1", "AKIARACE", Secret, null, null, false, true), default));
            foreach (var store in stores)
            {
                AssertAccount(await store.FindAsync(id, default), id, "us-east-1", "AKIARACE", Secret, null, null, false, true);
            }
        }
    }

    [Fact]
    public async Task ConcurrentPuts_OfOneNewId_ReportExactlyOneCreation()
    {
        IAccountStore[] stores = [Open(_engine.Shared), Open(_engine.Shared)];
        const int Writers = 12;
        for (int round = 0; round < 5; round++)
        {
            string id = NewId("concurrent");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var puts = Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await stores[i % stores.Length].PutAsync(Account(id, $"region-{i}", $"AKIAWRITER{i}", $"secret-{i}", null, null, false, true), default);
            })).ToArray();
            gate.SetResult();
            bool[] created = await Task.WhenAll(puts);

            Assert.Equal(1, created.Count(c => c));
            AwsAccount stored = (await stores[0].FindAsync(id, default))!;
            int writer = int.Parse(stored.Region["region-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            AssertAccount(stored, id, $"region-{writer}", $"AKIAWRITER{writer}", $"secret-{writer}", null, null, false, true);
        }
    }

    [Fact]
    public async Task TwoStores_OnOneDatabase_SeeEachOthersWritesAndDeletesAtOnce()
    {
        IAccountStore a = Open(_engine.Shared);
        IAccountStore b = Open(_engine.Shared);
        string id = NewId("shared");

        Assert.Null(await a.FindAsync(id, default));
        Assert.True(await b.PutAsync(Account(id, "eu-west-3", "AKIAFROMB", "from-b", null, null, false, true), default));
        AssertAccount(await a.FindAsync(id, default), id, "eu-west-3", "AKIAFROMB", "from-b", null, null, false, true);

        Assert.False(await a.PutAsync(Account(id, "eu-west-3", "AKIAFROMA", "from-a", null, null, false, true), default));
        AssertAccount(await b.FindAsync(id, default), id, "eu-west-3", "AKIAFROMA", "from-a", null, null, false, true);

        Assert.True(await b.DeleteAsync(id, default));
        Assert.Null(await a.FindAsync(id, default));
        Assert.DoesNotContain(await a.ListAsync(default), x => x.Id == id);
        Assert.False(await a.DeleteAsync(id, default));
    }

    private IAccountStore Open(string database, byte[]? key = null)
    {
        IAccountStore store = AccountStoreFactory.Create(database, _engine.DataDirectory, new SecretBox(key ?? _engine.Key), TimeProvider.System);
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 17)];

    private static AwsAccount Account(string id, string region, string? accessKeyId, string? secret, string? token, string? host, bool pathStyle, bool useSsl)
    {
        EndpointHost? endpoint = null;
        if (host is not null)
        {
            Assert.True(EndpointHost.TryParse(host, out var parsed, out string? problem), problem);
            endpoint = parsed;
        }

        return new AwsAccount(id, region, accessKeyId, secret, token, endpoint, pathStyle, useSsl);
    }

    private static void AssertAccount(AwsAccount? account, string id, string region, string? accessKeyId, string? secret, string? token, string? host, bool pathStyle, bool useSsl)
    {
        Assert.NotNull(account);
        Assert.Equal(id, account.Id);
        Assert.Equal(region, account.Region);
        Assert.Equal(accessKeyId, account.AccessKeyId);
        Assert.Equal(secret, account.SecretAccessKey);
        Assert.Equal(token, account.SessionToken);
        Assert.Equal(host, account.Host?.ToString());
        Assert.Equal(pathStyle, account.PathStyle);
        Assert.Equal(useSsl, account.UseSsl);
    }
}

/// <summary>The store suite on SQLite files.</summary>
public sealed class SqliteAccountStoreTests(SqliteEngine engine) : AccountStoreContract(engine), IClassFixture<SqliteEngine>;

/// <summary>The store suite on the PostgreSQL server of <c>SLUICE_TEST_POSTGRES</c>.</summary>
public sealed class PostgresAccountStoreTests(PostgresEngine engine) : AccountStoreContract(engine), IClassFixture<PostgresEngine>;
