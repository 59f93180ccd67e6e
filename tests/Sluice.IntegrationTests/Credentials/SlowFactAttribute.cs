namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// A test that waits for something real to happen (an STS session to run out). It runs unless
/// <c>SLUICE_TEST_SKIP_SLOW=1</c> is set, which is for iterating locally; CI does not set it,
/// so there the test runs. The skip is decided when the test is discovered and is reported as
/// a skip with the reason, never as a pass.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public const string SkipVariable = "SLUICE_TEST_SKIP_SLOW";

    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            Skip = $"{SkipVariable}=1 is set: this test waits for a real STS session to end (about 16 minutes)";
        }
    }
}
