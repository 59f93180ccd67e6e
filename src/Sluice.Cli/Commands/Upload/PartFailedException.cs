namespace Sluice.Cli.Commands.Upload;

/// <summary>A part was not stored; <see cref="Transient"/> when another try may do better (a throttled or failing bucket).</summary>
public sealed class PartFailedException(int partNumber, string reason, bool transient = false) : Exception($"part {partNumber}: {reason}")
{
    public int PartNumber { get; } = partNumber;

    public bool Transient { get; } = transient;
}
