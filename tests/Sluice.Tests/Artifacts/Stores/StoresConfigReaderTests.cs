using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Configuration;

namespace Sluice.Tests.Artifacts.Stores;

public sealed class StoresConfigReaderTests
{
    /// <summary>The seed's own example, exactly as polyaxon-artifacts-on-s3.md writes it (SPEC section 4 quotes the same text).</summary>
    public const string SeedExample = """
        artifactsStore:
          name: s3-artifacts
          kind: s3
          schema:
            bucket: "s3://bucket/"
          secret:
            name: "s3-secret"
        """;

    [Fact]
    public void Loads_the_seed_example()
    {
        ArtifactStores stores = StoresConfigReader.Parse(SeedExample, "values.yaml");

        ArtifactStore store = Assert.Single(stores.All);
        Assert.Same(store, stores.Default);
        Assert.Equal("s3-artifacts", store.Name);
        Assert.Equal("bucket", store.Bucket);
        Assert.Equal("", store.Prefix);
        Assert.Equal("s3-secret", store.SecretName);
        Assert.Equal("s3://bucket/", store.BucketUrl);
        Assert.Same(store, stores.Find("s3-artifacts"));
        Assert.Null(stores.Find("other"));
    }

    [Fact]
    public void Loads_a_connections_list_beside_the_artifacts_store_with_prefixes()
    {
        const string text = """
            artifactsStore:
              name: main
              kind: s3
              schema:
                bucket: s3://plx-storage/artifacts/
              secret:
                name: s3-secret
            connections:
              - name: datasets
                kind: s3
                description: "read-only data"
                schema:
                  bucket: "s3://datasets/imagenet/2024"
                secret:
                  name: data-secret
              - name: no-secret
                kind: s3
                schema:
                  bucket: "s3://public-bucket"
            """;

        ArtifactStores stores = StoresConfigReader.Parse(text, "stores.yaml");

        Assert.Equal(["main", "datasets", "no-secret"], stores.All.Select(s => s.Name));
        Assert.Equal("main", stores.Default!.Name);
        Assert.Equal(("plx-storage", "artifacts"), (stores.Default.Bucket, stores.Default.Prefix));
        ArtifactStore datasets = stores.Find("datasets")!;
        Assert.Equal(("datasets", "imagenet/2024", "data-secret", "read-only data"), (datasets.Bucket, datasets.Prefix, datasets.SecretName, datasets.Description));
        Assert.Equal("s3://datasets/imagenet/2024/", datasets.BucketUrl);
        ArtifactStore open = stores.Find("no-secret")!;
        Assert.Null(open.SecretName);
        Assert.Equal(("public-bucket", ""), (open.Bucket, open.Prefix));
        Assert.Equal(9, datasets.Line);
    }

    [Fact]
    public void A_file_with_only_connections_has_no_default()
    {
        var stores = StoresConfigReader.Parse("connections:\n  - name: a\n    kind: s3\n    schema: {bucket: 's3://abc/'}\n", "f.yaml");

        Assert.Null(stores.Default);
        Assert.Equal("abc", Assert.Single(stores.All).Bucket);
    }

    [Theory]
    [InlineData("s3://bucket/", "bucket", "")]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://my.bucket-1/a/b/c/", "my.bucket-1", "a/b/c")]
    [InlineData("s3://bucket/run data/é", "bucket", "run data/é")]
    public void Bucket_urls_give_the_bucket_and_the_prefix(string url, string bucket, string prefix)
    {
        Assert.True(StoreBucketUrl.TryParse(url, out string b, out string p, out string? problem), problem);
        Assert.Equal((bucket, prefix), (b, p));
    }

    [Theory]
    [InlineData("bucket")]
    [InlineData("gs://bucket/")]
    [InlineData("s3:///prefix/")]
    [InlineData("s3://Bucket/")]
    [InlineData("s3://ab/")]
    [InlineData("s3://bucket//x/")]
    [InlineData("s3://bucket/../x/")]
    [InlineData("s3://bucket/a/./b")]
    [InlineData("s3://bucket/a?x=1")]
    public void Bad_bucket_urls_are_refused_with_the_expected_shape(string url)
    {
        Assert.False(StoreBucketUrl.TryParse(url, out _, out _, out string? problem));
        Assert.StartsWith("must be s3://bucket/ or s3://bucket/prefix/", problem);
    }

    [Fact]
    public void A_bad_bucket_is_reported_with_file_line_and_expectation()
    {
        const string text = """
            artifactsStore:
              name: s3-artifacts
              kind: s3
              schema:
                bucket: "bucket"
              secret:
                name: "s3-secret"
            """;

        var error = Assert.Single(Errors(text));
        Assert.Equal(5, error.Line);
        Assert.StartsWith("stores.yaml line 5: artifactsStore.schema.bucket must be s3://bucket/ or s3://bucket/prefix/", error.ToString());
    }

    [Theory]
    [InlineData("artifactsStore:\n  name: a\n  kind: gcs\n  schema:\n    bucket: s3://abc/\n", 3, "artifactsStore.kind must be s3 or wasb (got 'gcs'")]
    [InlineData("artifactsStore:\n  kind: s3\n  schema:\n    bucket: s3://abc/\n", 2, "artifactsStore.name is missing")]
    [InlineData("artifactsStore:\n  name: a\n  schema:\n    bucket: s3://abc/\n", 2, "artifactsStore.kind is missing (expected kind: s3 or kind: wasb)")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n", 2, "artifactsStore.schema is missing")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n  schema:\n    bukket: s3://abc/\n", 5, "artifactsStore.schema.bukket is not a known key (expected bucket)")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n  schema:\n    bucket:\n", 5, "artifactsStore.schema.bucket is empty")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n  schema:\n    bucket: s3://abc/\n  secret:\n    nam: x\n", 7, "artifactsStore.secret.nam is not a known key (expected name)")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n  schema:\n    bucket: s3://abc/\n  secret:\n    name: S3_Secret\n", 7, "artifactsStore.secret.name may hold only lower-case letters")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n  schema:\n    bucket: s3://abc/\n  region: us-east-1\n", 6, "artifactsStore.region is not a known key (expected name, kind, schema, secret, description)")]
    [InlineData("artifactsStore:\n  name: a b\n  kind: s3\n  schema:\n    bucket: s3://abc/\n", 2, "artifactsStore.name may hold only letters")]
    [InlineData("artifactsStore:\n  name: a\n  kind: s3\n  schema: s3://abc/\n", 4, "artifactsStore.schema must be a mapping with bucket")]
    [InlineData("artifactStore:\n  name: a\n", 1, "'artifactStore' is not a known key (expected artifactsStore or connections)")]
    [InlineData("connections:\n  name: a\n", 2, "connections must be a list of stores")]
    [InlineData("connections:\n  - s3://abc/\n", 2, "connections[0] must be a mapping")]
    [InlineData("connections:\n  - name: a\n    kind: s3\n    schema: {bucket: 's3://abc/'}\n  - name: a\n    kind: s3\n    schema: {bucket: 's3://def/'}\n", 5, "the store name 'a' is already used on line 2")]
    [InlineData("just text\n", 1, "expected a mapping with artifactsStore:")]
    [InlineData("", 1, "expected a mapping with artifactsStore:")]
    [InlineData("other: 1\n", 1, "expected artifactsStore: (one store) or connections:")]
    [InlineData("artifactsStore:\n  name: a\n  name: b\n", 3, "is not valid YAML: 'name' is given twice")]
    [InlineData("artifactsStore:\n  name: [a\n", 3, "is not valid YAML")]
    [InlineData("artifactsStore: &x\n  name: a\nconnections:\n  - *x\n", 1, "anchors (&name) are not supported")]
    [InlineData("a: 1\n---\nb: 2\n", 2, "must hold one YAML document")]
    public void Each_kind_of_mistake_names_the_file_the_line_and_what_is_expected(string text, int line, string expected)
    {
        IReadOnlyList<ConfigError> errors = Errors(text);

        Assert.Contains(errors, e => e.File == "stores.yaml" && e.Line == line && e.Message.Contains(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.StartsWith($"stores.yaml line {e.Line}: ", e.ToString()));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_line_order()
    {
        const string text = """
            artifactsStore:
              name: main
              kind: gcs
              schema:
                bucket: "s3://UPPER/"
            connections:
              - name: other
                kind: s3
                schema:
                  bucket: s3://abc/
                extra: 1
            """;

        var errors = Errors(text);

        Assert.Equal([3, 5, 11], errors.Select(e => e.Line));
        var exception = Assert.Throws<StoresConfigException>(() => StoresConfigReader.Parse(text, "stores.yaml"));
        Assert.Equal(3, exception.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        string path = Path.Combine(Path.GetTempPath(), "sluice-missing-" + Guid.NewGuid().ToString("N"), "stores.yaml");

        var exception = Assert.Throws<StoresConfigException>(() => StoresConfigReader.Load(path));

        Assert.StartsWith($"{path} line 0: cannot be read", exception.Message);
    }

    private static IReadOnlyList<ConfigError> Errors(string text) =>
        Assert.Throws<StoresConfigException>(() => StoresConfigReader.Parse(text, "stores.yaml")).Errors;
}
