using Sluice.Core.Addressing;
using Sluice.Core.Providers;

namespace Sluice.Core.Signing;

/// <summary>
/// A browser form upload (<see cref="FormPolicy"/>) as S3 POST Object signs it with a SigV4 POST
/// policy: on <see cref="Endpoint"/> (whose region scopes the signature), with <see cref="Credentials"/>.
/// </summary>
public sealed record PostPolicyRequest(S3Endpoint Endpoint, string Bucket, SigningCredentials Credentials, DateTimeOffset Expiration)
    : FormPolicy(Bucket, Expiration);
