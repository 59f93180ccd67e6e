using System.Buffers;
using System.Net;
using Sluice.Server.Audit;

namespace Sluice.IntegrationTests.Audit;

/// <summary>A record encoded while it waits for the database comes back field for field: nulls, any Unicode, both address families, many in a row.</summary>
public sealed class AuditRecordCodecTests
{
    [Fact]
    public void Records_come_back_field_for_field_one_after_another()
    {
        var random = new Random(20261203);
        var buffer = new ArrayBufferWriter<byte>();
        var expected = new List<AuditRecord>();
        string?[] texts = [null, "", "plain", "ключ/ü 中文 😀", "a\u0000b", new string('x', 5000), "%2F..//\\"];
        IPAddress?[] addresses = [null, IPAddress.Loopback, IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1%3")];
        for (int i = 0; i < 2000; i++)
        {
            string? Pick() => texts[random.Next(texts.Length)];
            int status = new[] { 200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 503 }[random.Next(11)];
            var time = DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks));
            DateTimeOffset expires = time.AddSeconds(random.Next(1, 604_800));
            var feature = new AuditFeature().Describe(AuditActions.Presign, Pick(), Pick(), Pick(), random.Next(2) == 0 ? null : "PUT");
            if (random.Next(2) == 0)
            {
                feature.Signed(Pick(), random.Next(1, 10_001), "GET", expires);
            }

            if (random.Next(3) == 0)
            {
                feature.Changed(Pick() ?? "tok_x");
            }

            feature.Reason = Pick();
            IPAddress? address = addresses[random.Next(addresses.Length)];
            string identityKind = random.Next(2) == 0 ? "none" : "token";
            string? identity = Pick(), identityName = Pick();
            AuditRecordCodec.Encode(buffer, time, "presign", status, identityKind, identity, identityName, address, $"req-{i}", "GET", "/aws/storage/x/" + i, feature);
            expected.Add(new AuditRecord
            {
                Time = time,
                Action = "presign",
                Status = status,
                Outcome = status < 400 ? "allowed" : status < 500 ? "refused" : "failed",
                IdentityKind = identityKind,
                Identity = identity,
                IdentityName = identityName,
                RequestId = $"req-{i}",
                HttpMethod = "GET",
                Path = "/aws/storage/x/" + i,
                ClientAddress = address?.ToString(),
                Account = feature.Account,
                Bucket = feature.Bucket,
                Key = feature.Key,
                KeyCount = feature.KeyCount,
                Method = feature.Method,
                ExpiresAt = status < 400 ? feature.ExpiresAt : null,
                Target = feature.Target,
                Reason = status >= 400 ? feature.Reason : null,
            });
        }

        ReadOnlySpan<byte> bytes = buffer.WrittenSpan;
        int offset = 0;
        foreach (AuditRecord want in expected)
        {
            AuditRecord got = AuditRecordCodec.Decode(bytes[offset..], out int length);
            offset += length;
            Assert.Equal(want, got);
        }

        Assert.Equal(bytes.Length, offset);
    }
}
