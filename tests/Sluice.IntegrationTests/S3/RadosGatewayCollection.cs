namespace Sluice.IntegrationTests.S3;

/// <summary>
/// The test classes that talk to the RADOS Gateway: they share one <see cref="RadosGatewayFixture"/>
/// (one client, one bucket) and run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RadosGatewayCollection : ICollectionFixture<RadosGatewayFixture>
{
    public const string Name = "RADOS Gateway";
}
