using System.Net;
using Sluice.Core.Signing;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Http;

/// <summary>Many clients at once: writes stay consistent and every URL is signed with its own account's keys.</summary>
public sealed class ConcurrencyTests(SluiceHostFixture fixture) : IClassFixture<SluiceHostFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task ConcurrentPutsOfOneNewId_CreateItExactlyOnce()
    {
        string id = NewId("race");
        HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Yaml($"region: us-east-1\naccess-key-id: AKIARACE{i}\nsecret-access-key: race-secret-{i}\n"));
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(23, statuses.Count(s => s == HttpStatusCode.OK));

        // The stored keys are one writer's pair, never a mix: the URL verifies with that pair.
        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        string accessKey = (await ReadJsonAsync(read, HttpStatusCode.OK)).GetProperty("access-key-id").GetString()!;
        string n = accessKey["AKIARACE".Length..];
        using HttpResponseMessage presign = await Client.GetAsync($"/aws/storage/{id}/my-bucket/k");
        var (url, _) = await PresignAnswer.ReadAsync(presign, "GET", 86_400);
        PresignApiTests.AssertSigned(url, ObjectMethod.Get, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "k", "k", "us-east-1", new SigningCredentials(accessKey, $"race-secret-{n}"), 86_400);
    }

    [Fact]
    public async Task ConcurrentPresigns_ForManyAccounts_EachSignWithTheirOwnKeys()
    {
        string[] ids = Enumerable.Range(0, 6).Select(i => NewId($"par{i}")).ToArray();
        for (int i = 0; i < ids.Length; i++)
        {
            await PutAccountAsync(Client, ids[i], $"region: {(i % 2 == 0 ? "us-east-1" : "eu-west-1")}\naccess-key-id: AKIAPAR{i}\nsecret-access-key: parallel-secret-{i}\n");
        }

        await Task.WhenAll(Enumerable.Range(0, 120).Select(async n =>
        {
            int i = n % ids.Length;
            string region = i % 2 == 0 ? "us-east-1" : "eu-west-1";
            string key = $"k/{n}/é";
            using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{ids[i]}/bucket-{i}/k/{n}/%C3%A9?expiration={100 + n}");
            var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 100 + n);
            PresignApiTests.AssertSigned(url, ObjectMethod.Get, "https", $"bucket-{i}.s3.{region}.amazonaws.com", "/", key, $"k/{n}/%C3%A9", region, new SigningCredentials($"AKIAPAR{i}", $"parallel-secret-{i}"), 100 + n);
        }));
    }
}
