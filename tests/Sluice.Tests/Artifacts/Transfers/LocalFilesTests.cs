using System.Reflection;
using Amazon.S3;
using Sluice.Core.Addressing;
using Sluice.Core.Artifacts;
using Sluice.Core.Signing;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Artifacts.Transfers;
using Sluice.Core.Transfers;
using Sluice.Core.Providers.S3;

namespace Sluice.Tests.Artifacts.Transfers;

/// <summary>Planning a push: which keys local files get, and what is refused before any request is sent.</summary>
public sealed class LocalFilesTests : IDisposable
{
    private static readonly ArtifactStore Store = new("s", "bucket", "exp", null, null, 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-plan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_directory_goes_under_the_destination_and_a_file_keeps_its_name()
    {
        Write("out/a/b/c.txt");
        Write("out/sp ace/é.txt");
        Write("out/.hidden");
        Write("model.bin");
        Directory.CreateDirectory(Path.Combine(_directory, "out", "empty-dir"));
        var run = new RunLayout(Store, "r1");

        var files = LocalFiles.Plan(run, [Path.Combine(_directory, "out"), Path.Combine(_directory, "model.bin")], RunPath.Parse("outputs/eval"));

        Assert.Equal(
            ["exp/r1/outputs/eval/.hidden", "exp/r1/outputs/eval/a/b/c.txt", "exp/r1/outputs/eval/sp ace/é.txt", "exp/r1/outputs/eval/model.bin"],
            files.Select(f => f.Key));
        Assert.Equal("outputs/eval/a/b/c.txt", files[1].Path.Value);
    }

    [Fact]
    public void Missing_paths_names_S3_cannot_hold_and_collisions_are_all_listed()
    {
        Write("d/bad\nname");
        Write("d/back\\slash");
        Write("d/x.txt");
        Write("x.txt");
        var run = new RunLayout(Store, "r1");

        var exception = Assert.Throws<ArtifactPathException>(() => LocalFiles.Plan(
            run, [Path.Combine(_directory, "d"), Path.Combine(_directory, "x.txt"), Path.Combine(_directory, "nope")], RunPath.Parse("outputs")));

        Assert.Contains("nope: no such file or directory", exception.Message);
        Assert.Contains("control character", exception.Message);
        Assert.Contains("must use '/'", exception.Message);
        Assert.Contains("goes to outputs/x.txt, as", exception.Message);
    }

    [Fact]
    public async Task A_refused_push_sends_no_request()
    {
        Write("d/ok.txt");
        Write("d/bad\u0001name");
        var s3 = DispatchProxy.Create<IAmazonS3, NoRequests>();
        var connection = new S3StoreConnection(Store, new S3Endpoint("us-east-1", null, false, true), true, new SigningCredentials("K", "S"), "test");
        using var client = new ArtifactClient(new S3ObjectStore(s3, Store.Bucket, connection.Endpoint), connection, new TransferOptions());
        var run = client.Run("r1");

        await Assert.ThrowsAsync<ArtifactPathException>(() => client.PushAsync(run, [Path.Combine(_directory, "d")], RunPath.Parse("outputs")));
        Assert.Throws<ArtifactPathException>(() => client.Run("../other"));
    }

    private void Write(string relative)
    {
        string path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
    }

    /// <summary>An S3 client that fails the test on any call.</summary>
    public class NoRequests : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"a request was sent: {targetMethod?.Name}");
    }
}
