using Sluice.Core.Accounts.Azure;
using Sluice.Core.Addressing;

namespace Sluice.Tests.Accounts;

/// <summary>Aidbox's AzureAccount and AzureContainer shapes, read field by field; Azure's blob name limits.</summary>
public sealed class AzureResourceReaderTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void An_account_key_account_is_Aidboxs_account_SAS()
    {
        AzureAccount account = AzureAccountReader.Read("aidbox", Fields(("key", Key), ("resourceType", "AzureAccount")), out var errors)!;

        Assert.Empty(errors);
        Assert.Equal(AzureSasType.Account, account.SasType);
        Assert.Equal(Convert.FromBase64String(Key), account.Key);
        Assert.DoesNotContain(Key, account.ToString());
    }

    [Fact]
    public void A_user_delegation_account_needs_the_application_and_no_key()
    {
        string tenant = Guid.NewGuid().ToString(), client = Guid.NewGuid().ToString();
        AzureAccount account = AzureAccountReader.Read("app", Fields(("sasType", "userDelegation"), ("tenantId", tenant), ("clientId", client), ("clientSecret", "s3cr3t~value")), out var errors)!;

        Assert.Empty(errors);
        Assert.Equal((AzureSasType.UserDelegation, tenant, client, "s3cr3t~value", (byte[]?)null), (account.SasType, account.TenantId, account.ClientId, account.ClientSecret, account.Key));
        Assert.NotNull(AzureAccountReader.Read("app", Fields(("sasType", "userDelegation"), ("tenantId", "contoso.onmicrosoft.com"), ("clientId", client), ("clientSecret", "x")), out errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("key=c2hvcnQ=", "key", "must be the storage account key in base64")]
    [InlineData("tenantId=t.example", "key", "is required")]
    [InlineData("key=" + Key + ";tenantId=x", "tenantId", "goes with sasType: userDelegation")]
    [InlineData("sasType=userDelegation;clientSecret=x;clientId=nope;tenantId=" + "f0f0f0f0-0000-0000-0000-000000000000", "clientId", "must be the application (client) id, a GUID")]
    [InlineData("sasType=userDelegation;clientSecret=x;clientId=f0f0f0f0-0000-0000-0000-000000000000;tenantId=no spaces please", "tenantId", "must be a tenant id")]
    [InlineData("sasType=userDelegation;clientSecret=x;clientId=f0f0f0f0-0000-0000-0000-000000000000;tenantId=t.example;authorityHost=http://login.example/", "authorityHost", "must be an https URL")]
    [InlineData("sasType=servicePrincipal;key=" + Key, "sasType", "must be account or userDelegation")]
    [InlineData("key=" + Key + ";region=westeurope", "region", "is not a field of AzureAccount")]
    [InlineData("key=" + Key + ";id=other", "id", "differs from 'acct' in the URL")]
    public void Account_mistakes_name_their_field(string fields, string field, string expected)
    {
        Assert.Null(AzureAccountReader.Read("acct", Parse(fields), out var errors));
        Assert.Contains(errors, e => e.Field == field && e.Message.Contains(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain(Key, e.Message));
    }

    [Fact]
    public void A_container_takes_Aidboxs_reference_and_an_emulator_endpoint()
    {
        AzureContainer container = AzureContainerReader.Read("avatars", Fields(
            ("account.id", "aidbox"), ("account.resourceType", "AzureAccount"), ("storage", "aidbox"), ("container", "avatars"),
            ("extension", ".png"), ("endpoint", "http://127.0.0.1:10000/devstoreaccount1")), out var errors)!;

        Assert.Empty(errors);
        Assert.Equal(("aidbox", "png", new Uri("http://127.0.0.1:10000/devstoreaccount1/")), (container.AccountId, container.Extension, container.ServiceUri));
        Assert.Equal(new Uri("https://aidbox.blob.core.windows.net/"), (container with { Endpoint = null }).ServiceUri);
    }

    [Theory]
    [InlineData("storage=aidbox;container=avatars", "account.id", "is required")]
    [InlineData("account.id=a;storage=AIDBOX;container=avatars", "storage", "3 to 24 lower-case letters and digits")]
    [InlineData("account.id=a;storage=aidbox;container=-avatars", "container", "must begin and end with a letter or digit")]
    [InlineData("account.id=a;storage=aidbox;container=avatars;extension=tar.gz", "extension", "1 to 16 letters and digits")]
    [InlineData("account.id=a;storage=aidbox;container=avatars;endpoint=http://host/?sv=1", "endpoint", "without query")]
    [InlineData("account.id=a;account.resourceType=AwsAccount;storage=aidbox;container=avatars", "account.resourceType", "must be AzureAccount")]
    public void Container_mistakes_name_their_field(string fields, string field, string expected)
    {
        Assert.Null(AzureContainerReader.Read("c", Parse(fields), out var errors));
        Assert.Contains(errors, e => e.Field == field && e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a/b c+d%.txt", null)]
    [InlineData("a//b", null)]
    [InlineData("ünïcödé/✓", null)]
    [InlineData("x.", "must not end with '.' or '/'")]
    [InlineData("x/", "must not end with '.' or '/'")]
    [InlineData("a/../b", "'.' or '..' segments")]
    [InlineData("./a", "'.' or '..' segments")]
    [InlineData("a\\b", "must not contain '\\'")]
    [InlineData("", "must not be empty")]
    public void Blob_names_Azure_would_change_are_refused(string name, string? expected)
    {
        string? problem = BlobName.Problem(name);
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem);
        }
    }

    [Fact]
    public void Blob_names_have_Azures_length_and_segment_limits()
    {
        Assert.Null(BlobName.Problem(new string('a', 1024)));
        Assert.Null(BlobName.Problem(new string('é', 1024))); // 2,048 bytes: more than S3 takes, not more than Azure
        Assert.Contains("at most 1024 characters", BlobName.Problem(new string('a', 1025)));
        Assert.Null(BlobName.Problem(string.Join('/', Enumerable.Repeat("s", 254))));
        Assert.Contains("at most 254 segments", BlobName.Problem(string.Join('/', Enumerable.Repeat("s", 255))));
    }

    private static Dictionary<string, string?> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => (string?)f.Value);

    private static Dictionary<string, string?> Parse(string fields) =>
        fields.Split(';').Select(f => f.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
}
