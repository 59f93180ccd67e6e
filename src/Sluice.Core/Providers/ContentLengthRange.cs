namespace Sluice.Core.Providers;

/// <summary>A POST policy's <c>content-length-range</c>: the uploaded file's size in bytes, both ends inclusive.</summary>
public readonly record struct ContentLengthRange(long Min, long Max);
