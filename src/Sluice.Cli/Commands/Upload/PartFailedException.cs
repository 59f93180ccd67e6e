namespace Sluice.Cli.Commands.Upload;

/// <summary>A part could not be stored, after its retries.</summary>
public sealed class PartFailedException(int partNumber, string reason) : Exception($"part {partNumber}: {reason}")
{
    public int PartNumber { get; } = partNumber;
}
