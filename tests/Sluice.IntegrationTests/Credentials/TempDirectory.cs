namespace Sluice.IntegrationTests.Credentials;

/// <summary>A directory under the system's temporary folder for a test's files (token files, credential files), removed when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sluice-cred-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="contents"/> to a file of this directory and returns its full path.</summary>
    public string Write(string name, string contents)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
