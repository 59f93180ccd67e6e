using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Tests.Signing;

/// <summary>The example from the S3 API reference, "Authenticating Requests: Using Query Parameters".</summary>
public sealed class PublishedVectorTests
{
    private static readonly DateTimeOffset SigningTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    private static readonly SigningCredentials DocumentationKeys =
        new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    [Fact]
    public void Reproduces_the_S3_documentation_example_exactly()
    {
        var presigner = new SigV4Presigner(TimeProvider.System);
        var request = new PresignRequest(ObjectMethod.Get, "https", "examplebucket.s3.amazonaws.com", "/", "test.txt", "us-east-1", DocumentationKeys, 86400);

        string url = presigner.Presign(request, SigningTime);

        Assert.Equal(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            url);
    }

    [Fact]
    public void Uses_the_injected_clock_when_no_time_is_given()
    {
        var presigner = new SigV4Presigner(new FixedTimeProvider(SigningTime));
        var request = new PresignRequest(ObjectMethod.Get, "https", "examplebucket.s3.amazonaws.com", "/", "test.txt", "us-east-1", DocumentationKeys, 86400);

        Assert.EndsWith("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", presigner.Presign(request));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(604801)]
    public void Refuses_expiry_outside_SigV4_bounds(int seconds)
    {
        var presigner = new SigV4Presigner(TimeProvider.System);
        var request = new PresignRequest(ObjectMethod.Get, "https", "b.s3.amazonaws.com", "/", "k", "us-east-1", DocumentationKeys, seconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => presigner.Presign(request));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
