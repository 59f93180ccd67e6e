using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Configuration;
using Sluice.Core.Credentials;

namespace Sluice.Tests.Artifacts.Stores;

/// <summary><c>kind: wasb</c> stores: Polyaxon's URL shape, and the Azure keys of their secrets.</summary>
public sealed class WasbStoresTests
{
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly ArtifactStore Store = StoresConfigReader.Parse("""
        artifactsStore:
          name: azure-artifacts
          kind: wasb
          schema:
            bucket: "wasbs://outputs@plxstorage.blob.core.windows.net/team-a/"
          secret:
            name: az-secret
        """, "stores.yaml").Default!;

    [Fact]
    public void Polyaxons_wasb_store_gives_the_container_the_account_and_the_prefix()
    {
        Assert.Equal(StoreKind.Wasb, Store.Kind);
        Assert.Equal(("outputs", "team-a"), (Store.Bucket, Store.Prefix));
        Assert.Equal("plxstorage", Store.Wasb!.AccountName);
        Assert.Equal(new Uri("https://plxstorage.blob.core.windows.net/"), Store.Wasb.ServiceUri);
        Assert.Equal("wasbs://outputs@plxstorage.blob.core.windows.net/team-a/", Store.BucketUrl);
    }

    [Theory]
    [InlineData("wasbs://c01@acct.blob.core.windows.net", "c01", "", "https://acct.blob.core.windows.net/")]
    [InlineData("wasbs://my-container@acct.blob.core.chinacloudapi.cn/a/b/", "my-container", "a/b", "https://acct.blob.core.chinacloudapi.cn/")]
    [InlineData("wasb://data@ACCT.blob.core.windows.net/x", "data", "x", "http://acct.blob.core.windows.net/")]
    public void Wasb_urls_give_container_prefix_and_endpoint(string url, string container, string prefix, string endpoint)
    {
        Assert.True(StoreBucketUrl.TryParseWasb(url, out string c, out string p, out WasbLocation? location, out string? problem), problem);
        Assert.Equal((container, prefix, new Uri(endpoint)), (c, p, location!.ServiceUri));
    }

    [Theory]
    [InlineData("s3://bucket/", "(got 's3://bucket/')")]
    [InlineData("wasbs://acct.blob.core.windows.net/", "no container@")]
    [InlineData("wasbs://Outputs@acct.blob.core.windows.net/", "the container name 'Outputs' may hold only lower-case letters, digits and '-'")]
    [InlineData("wasbs://a--b@acct.blob.core.windows.net/", "must not hold two hyphens in a row")]
    [InlineData("wasbs://ab@acct.blob.core.windows.net/", "must be 3 to 63 characters long")]
    [InlineData("wasbs://data@acct.dfs.core.windows.net/", "is not a storage account's blob host")]
    [InlineData("wasbs://data@acct.blob.core.windows.net:443/", "is not a storage account's blob host")]
    [InlineData("wasbs://data@my_account.blob.core.windows.net/", "the storage account name 'my_account' must be 3 to 24 lower-case letters and digits")]
    [InlineData("wasbs://data@acct.blob.core.windows.net/a/../b", "the prefix 'a/../b'")]
    public void Bad_wasb_urls_are_refused_saying_what_is_wrong(string url, string expected)
    {
        Assert.False(StoreBucketUrl.TryParseWasb(url, out _, out _, out _, out string? problem));
        Assert.StartsWith(StoreBucketUrl.ExpectedWasb, problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void The_kind_decides_how_the_bucket_is_read_wherever_kind_is_written()
    {
        var errors = Assert.Throws<StoresConfigException>(() => StoresConfigReader.Parse("""
            connections:
              - name: a
                schema:
                  bucket: "s3://bucket/"
                kind: wasb
              - name: b
                kind: s3
                schema:
                  bucket: "wasbs://data@acct.blob.core.windows.net/"
            """, "stores.yaml")).Errors;

        Assert.Equal(
            ["stores.yaml line 4: connections[0].schema.bucket must be wasbs://container@account.blob.core.windows.net/ or …/prefix/ (got 's3://bucket/')",
             "stores.yaml line 9: connections[1].schema.bucket must be s3://bucket/ or s3://bucket/prefix/ (got 'wasbs://data@acct.blob.core.windows.net/')"],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void An_account_key_and_the_urls_host_make_the_connection()
    {
        var connection = Resolve(new() { ["AZURE_ACCOUNT_NAME"] = "plxstorage", ["AZURE_ACCOUNT_KEY"] = AzuriteKey });

        Assert.Equal(WasbCredential.AccountKey, connection.Credential);
        Assert.Equal(Convert.FromBase64String(AzuriteKey), connection.AccountKey);
        Assert.Equal(new Uri("https://plxstorage.blob.core.windows.net/"), connection.ServiceUri);
        Assert.DoesNotContain(AzuriteKey, connection.ToString());
    }

    [Fact]
    public void A_connection_string_alone_describes_the_connection_and_its_blob_endpoint_wins()
    {
        var connection = Resolve(new()
        {
            ["AZURE_CONNECTION_STRING"] = $"DefaultEndpointsProtocol=http; AccountName=plxstorage;AccountKey={AzuriteKey};BlobEndpoint=http://127.0.0.1:10000/plxstorage;",
            ["AZURE_SAS_TOKEN"] = "sv=2026-10-06&sig=ignored", // a connection string is the whole description
        });

        Assert.Equal(WasbCredential.AccountKey, connection.Credential);
        Assert.Equal(new Uri("http://127.0.0.1:10000/plxstorage/"), connection.ServiceUri);
    }

    [Fact]
    public void A_sas_token_connects_without_the_leading_question_mark()
    {
        var connection = Resolve(new() { ["AZURE_SAS_TOKEN"] = "?sv=2026-10-06&sp=rwdl&sig=abc%3D" });

        Assert.Equal((WasbCredential.SasToken, "sv=2026-10-06&sp=rwdl&sig=abc%3D", (byte[]?)null), (connection.Credential, connection.SasToken, connection.AccountKey));
    }

    [Fact]
    public void The_development_storage_shortcut_is_the_emulators_account()
    {
        ArtifactStore store = Store with { Wasb = new WasbLocation("devstoreaccount1.blob.core.windows.net", Tls: true) };
        var connection = WasbConnectionResolver.Resolve(store, Secret(new() { ["AZURE_CONNECTION_STRING"] = "UseDevelopmentStorage=true" }));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/"), connection.ServiceUri);
        Assert.Equal(Convert.FromBase64String(AzuriteKey), connection.AccountKey);
    }

    [Theory]
    [InlineData("AZURE_ACCOUNT_KEY", "not base64 at all!", "the account key in the environment is not base64")]
    [InlineData("AZURE_ACCOUNT_NAME", "otheraccount", "AZURE_ACCOUNT_NAME (environment variable AZURE_ACCOUNT_NAME) names the account 'otheraccount' but schema.bucket (wasbs://outputs@plxstorage.blob.core.windows.net/team-a/) is in 'plxstorage'")]
    [InlineData("AZURE_CONNECTION_STRING", "AccountName=plxstorage;AccountKey", "is not Key=Value pairs separated by ';' (part 2 has no key and '=')")]
    [InlineData("AZURE_CONNECTION_STRING", "AccountName=otheraccount;AccountKey=c2VjcmV0LWtleQ==", "names the account 'otheraccount'")]
    [InlineData("AZURE_CONNECTION_STRING", "AccountName=plxstorage;BlobEndpoint=ftp://x/", "has a BlobEndpoint that is not an http(s) URL")]
    [InlineData("AZURE_CONNECTION_STRING", "AccountName=plxstorage", "has neither AccountKey nor SharedAccessSignature")]
    [InlineData("AZURE_REGION", "westeurope", "has no AZURE_ACCOUNT_KEY, AZURE_SAS_TOKEN or AZURE_CONNECTION_STRING for the account plxstorage")]
    public void Bad_or_missing_values_are_refused_naming_the_key_and_never_the_secret(string key, string value, string expected)
    {
        var values = new Dictionary<string, string> { [key] = value };
        if (key == "AZURE_ACCOUNT_NAME")
        {
            values["AZURE_ACCOUNT_KEY"] = AzuriteKey;
        }

        var exception = Assert.Throws<StoreConnectionException>(() => Resolve(values));

        Assert.Contains(expected, exception.Message);
        Assert.StartsWith("store azure-artifacts: ", exception.Message);
        Assert.DoesNotContain(AzuriteKey, exception.Message);
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", exception.Message);
        Assert.DoesNotContain("not base64 at all!", exception.Message);
    }

    private static WasbStoreConnection Resolve(Dictionary<string, string> values) =>
        Assert.IsType<WasbStoreConnection>(StoreConnectionResolver.Resolve(Store, Secret(values)));

    private static StoreSecret Secret(Dictionary<string, string> values) =>
        new StoreSecretReader(null, new CredentialEnvironment(name => values.GetValueOrDefault(name))).Read(null);
}
