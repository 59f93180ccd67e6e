using Sluice.Core.Credentials;
using Sluice.Core.Signing;

namespace Sluice.Tests.Credentials;

/// <summary>A source whose answers the test scripts, counting every call.</summary>
public sealed class CountingSource(Func<int, Task<SourcedCredentials>> answer) : ICredentialSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Name => "counting";

    public Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken) => answer(Interlocked.Increment(ref _calls));

    public static SourcedCredentials Keys(string id, DateTimeOffset? expiresAt) =>
        new(new SigningCredentials("AKID" + id, "secret" + id, "token" + id, expiresAt), "counting");
}
