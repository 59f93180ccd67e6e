namespace Sluice.Core.Transfers;

/// <summary>
/// How a file of <see cref="FileSize"/> bytes is cut into parts of <see cref="PartSize"/> (the
/// last one shorter). An empty file is one empty part: S3 allows a 0-byte part when it is the
/// only one, and this API has no single PUT.
/// </summary>
public sealed record PartLayout(long FileSize, long PartSize)
{
    public int Count => FileSize == 0 ? 1 : (int)((FileSize + PartSize - 1) / PartSize);

    public long Offset(int partNumber) => (partNumber - 1) * PartSize;

    public long Length(int partNumber) => Math.Min(PartSize, FileSize - Offset(partNumber));

    public IEnumerable<int> Numbers => Enumerable.Range(1, Count);

    /// <summary>Each part's offset and length, in part order.</summary>
    public (long Offset, long Length)[] Ranges => [.. Numbers.Select(n => (Offset(n), Length(n)))];
}
