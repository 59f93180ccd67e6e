namespace Sluice.Cli.Commands.Upload;

/// <summary>What an upload tells whoever watches it. Calls come from parallel parts: implementations are thread-safe.</summary>
public interface IUploadProgress
{
    /// <summary>The work is known: this many bytes in all, of which <paramref name="stored"/> the bucket already holds.</summary>
    void Planned(long bytes, long stored);

    /// <summary>Bytes went out (negative when a failed attempt's bytes must be sent again).</summary>
    void Advanced(long bytes);

    /// <summary>A part is stored.</summary>
    void PartSent(int partNumber, int partCount, long bytes);

    /// <summary>Something worth a line: a retry, a resumed upload.</summary>
    void Note(string line);
}
