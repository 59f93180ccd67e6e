namespace Sluice.Core.Credentials;

/// <summary>How credentials are cached and refreshed.</summary>
public sealed class CredentialRefreshOptions
{
    /// <summary>Temporary credentials are replaced this long before they expire (the SDKs use five minutes).</summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Credentials this close to expiry are not handed out at all.</summary>
    public TimeSpan ExpiryBuffer { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Keys without an expiry (environment, a profile's static keys) are read again this often.</summary>
    public TimeSpan LongLivedKeysTtl { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Tries per refresh; the delay doubles after each failure.</summary>
    public int Attempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After a failed refresh, requests get the error at once for this long.</summary>
    public TimeSpan FailureHoldOff { get; init; } = TimeSpan.FromSeconds(1);
}
