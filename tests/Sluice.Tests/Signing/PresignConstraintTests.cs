using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Tests.Signing;

/// <summary>Part and header constraints that could not mean what they say are refused before signing.</summary>
public sealed class PresignConstraintTests
{
    private static readonly SigningCredentials Keys = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private static readonly PresignRequest Put = new(ObjectMethod.Put, "https", "b.s3.amazonaws.com", "/", "k", "us-east-1", Keys, 3600);

    private static readonly SigV4Presigner Presigner = new(TimeProvider.System);

    public static TheoryData<string, PresignRequest> Refused => new()
    {
        { "GET with a part", Put with { Method = ObjectMethod.Get, UploadId = "u", PartNumber = 1 } },
        { "DELETE with a type", Put with { Method = ObjectMethod.Delete, ContentType = "text/plain" } },
        { "GET with a length", Put with { Method = ObjectMethod.Get, ContentLength = 1 } },
        { "upload id alone", Put with { UploadId = "u" } },
        { "part number alone", Put with { PartNumber = 1 } },
        { "empty upload id", Put with { UploadId = "", PartNumber = 1 } },
        { "part 0", Put with { UploadId = "u", PartNumber = 0 } },
        { "part 10001", Put with { UploadId = "u", PartNumber = 10_001 } },
        { "negative length", Put with { ContentLength = -1 } },
        { "empty type", Put with { ContentType = "" } },
        { "leading space", Put with { ContentType = " text/plain" } },
        { "trailing space", Put with { ContentType = "text/plain " } },
        { "double space", Put with { ContentType = "text/plain;  charset=utf-8" } },
        { "tab", Put with { ContentType = "text/plain;\tcharset=utf-8" } },
        { "newline", Put with { ContentType = "text/plain\r\nx-amz-acl: public-read" } },
        { "non-ASCII", Put with { ContentType = "text/plainé" } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses(string why, PresignRequest request)
    {
        Assert.NotNull(why);
        Assert.ThrowsAny<ArgumentException>(() => Presigner.Presign(request));
    }

    [Fact]
    public void Orders_the_part_after_every_X_Amz_parameter_and_signs_the_headers_in_order()
    {
        string url = Presigner.Presign(
            Put with { UploadId = "2~abc_DEF-1", PartNumber = 10_000, ContentType = "application/octet-stream", ContentLength = 5L << 30 },
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero));

        Assert.StartsWith("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=", url, StringComparison.Ordinal);
        Assert.Contains(
            "&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost&partNumber=10000&uploadId=2~abc_DEF-1&X-Amz-Signature=",
            url,
            StringComparison.Ordinal);
    }
}
