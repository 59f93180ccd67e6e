using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>The artifact store tests: their own bucket on the RADOS Gateway, one class after another (they move hundreds of MB).</summary>
[CollectionDefinition(Name)]
public sealed class ArtifactsCollection : ICollectionFixture<RadosGatewayFixture>
{
    public const string Name = "Artifacts on the RADOS Gateway";
}
