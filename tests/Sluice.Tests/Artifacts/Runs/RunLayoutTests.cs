
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Stores;

namespace Sluice.Tests.Artifacts.Runs;

public sealed class RunLayoutTests
{
    private static readonly ArtifactStore AtRoot = new("s", "bucket", "", null, null, 1);
    private static readonly ArtifactStore WithPrefix = new("s", "bucket", "team/experiments", null, null, 1);

    [Theory]
    [InlineData("outputs/model.bin", "outputs", "model.bin", "run-1/outputs/model.bin")]
    [InlineData("outputs", "outputs", "", "run-1/outputs")]
    [InlineData("outputs/", "outputs", "", "run-1/outputs")]
    [InlineData("logs/2024/train log é.txt", "logs", "2024/train log é.txt", "run-1/logs/2024/train log é.txt")]
    [InlineData("events/a+b%20c", "events", "a+b%20c", "run-1/events/a+b%20c")]
    [InlineData("assets/...hidden/..x", "assets", "...hidden/..x", "run-1/assets/...hidden/..x")]
    public void Paths_map_to_keys_under_the_run(string text, string section, string relative, string key)
    {
        RunPath path = RunPath.Parse(text);
        var run = new RunLayout(AtRoot, "run-1");

        Assert.Equal((section, relative), (path.Section, path.Relative));
        Assert.Equal(key, run.KeyOf(path));
        Assert.Equal("team/experiments/" + key, new RunLayout(WithPrefix, "run-1").KeyOf(path));
        Assert.Equal("team/experiments/run-1/", new RunLayout(WithPrefix, "run-1").RunPrefix);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/outputs/a", "is absolute")]
    [InlineData("\\outputs\\a", "is absolute")]
    [InlineData("C:/outputs", "is absolute")]
    [InlineData("outputs/../../other-run/outputs/x", "has a '..' segment")]
    [InlineData("outputs/a/..", "has a '..' segment")]
    [InlineData("..", "has a '..' segment")]
    [InlineData("outputs/./a", "has a '.' segment")]
    [InlineData("outputs//a", "has an empty segment")]
    [InlineData("outputs/a//", "has an empty segment")]
    [InlineData("outputs\\a", "must use '/'")]
    [InlineData("outputs/a\nb", "control character")]
    [InlineData("outputs/a\u0000b", "control character")]
    [InlineData("model.bin", "must start with one of a run's directories: outputs, events, assets, plxlogs, resources, logs")]
    [InlineData("Outputs/model.bin", "must start with one of a run's directories")]
    public void Paths_that_are_not_plain_relative_paths_are_refused(string text, string expected)
    {
        var exception = Assert.Throws<ArtifactPathException>(() => RunPath.Parse(text));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        // Not as InlineData: the test runner would turn the lone surrogate into U+FFFD on its way in.
        var exception = Assert.Throws<ArtifactPathException>(() => RunPath.Parse("outputs/a" + '\ud800'));

        Assert.Contains("not valid Unicode", exception.Message);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("a/b", "without '/'")]
    [InlineData("a\\b", "without '/'")]
    [InlineData("..", "'..' segment")]
    [InlineData(".", "'.' segment")]
    [InlineData("run\t1", "control character")]
    public void Run_names_must_be_one_plain_name(string run, string expected)
    {
        var exception = Assert.Throws<ArtifactPathException>(() => new RunLayout(AtRoot, run));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Keys_longer_than_S3_allows_are_refused_before_anything_is_sent()
    {
        var run = new RunLayout(WithPrefix, "run-1");
        RunPath path = RunPath.Parse("outputs/" + new string('é', 500)); // 1,000 bytes of UTF-8 under a 33-byte prefix

        var exception = Assert.Throws<ArtifactPathException>(() => run.KeyOf(path));

        Assert.Contains("at most 1024 bytes", exception.Message);
    }

    [Fact]
    public void Appending_checks_the_appended_part()
    {
        RunPath outputs = RunPath.Parse("outputs/eval");

        Assert.Equal("outputs/eval/a/b.txt", outputs.Append("a/b.txt").Value);
        Assert.Same(outputs, outputs.Append(""));
        Assert.Throws<ArtifactPathException>(() => outputs.Append("../x"));
        Assert.Throws<ArtifactPathException>(() => outputs.Append("/etc/passwd"));
    }

    [Fact]
    public void Keys_outside_the_run_have_no_path_in_it()
    {
        var run = new RunLayout(WithPrefix, "run-1");

        Assert.Equal("outputs/a", run.RelativeToRun("team/experiments/run-1/outputs/a"));
        Assert.Null(run.RelativeToRun("team/experiments/run-10/outputs/a"));
    }
}
