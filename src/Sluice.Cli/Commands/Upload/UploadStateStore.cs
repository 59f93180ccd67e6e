using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// The state files of unfinished uploads, one small JSON file each in
/// <c>$XDG_STATE_HOME/sluice/uploads/</c> (default <c>~/.local/state/sluice/uploads/</c>), named by a
/// hash of server, account, bucket, key (or "generated"), the file's full path, size and modification
/// time: the same command on the same unchanged file finds it, a changed file starts afresh.
/// </summary>
public sealed class UploadStateStore(string directory)
{
    public const string StateHomeVariable = "XDG_STATE_HOME";

    // The state file is for a person to read too: indented, through the source-generated contract.
    private static readonly JsonTypeInfo<UploadState> IndentedState =
        (JsonTypeInfo<UploadState>)new JsonSerializerOptions(ClientJson.Default.Options) { WriteIndented = true }.GetTypeInfo(typeof(UploadState));

    public string Directory { get; } = directory;

    public static UploadStateStore Default()
    {
        string? stateHome = Environment.GetEnvironmentVariable(StateHomeVariable);
        if (string.IsNullOrEmpty(stateHome) || !Path.IsPathRooted(stateHome))
        {
            stateHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return new UploadStateStore(Path.Combine(stateHome, "sluice", "uploads"));
    }

    public string PathFor(Uri server, string account, string bucket, string? key, string file, long size, DateTime modifiedUtc)
    {
        string identity = string.Join('\n',
            server.AbsoluteUri, account, bucket, key is null ? "generated" : "key:" + key, file,
            size.ToString(CultureInfo.InvariantCulture), modifiedUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        string name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
        return Path.Combine(Directory, name + ".json");
    }

    /// <summary>The state at <paramref name="path"/>, or null when there is none or it cannot be read (a new upload then starts).</summary>
    public static UploadState? Load(string path)
    {
        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllText(path), ClientJson.Default.UploadState);
            return state is { Version: UploadState.CurrentVersion, UploadId.Length: > 0, Key.Length: > 0, PartSize: > 0 } ? state : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the state whole or not at all (a temporary file renamed over), readable by the user only.</summary>
    public void Save(string path, UploadState state)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, IndentedState));
        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string path) => File.Delete(path);
}
