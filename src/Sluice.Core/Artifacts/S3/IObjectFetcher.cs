namespace Sluice.Core.Artifacts.S3;

/// <summary>Reads an object or a byte range of it, pinned to an ETag when one is given.</summary>
internal interface IObjectFetcher
{
    /// <param name="range">Inclusive first and last byte, or null for the whole object.</param>
    Task<FetchedObject> FetchAsync(string key, (long First, long Last)? range, string? ifMatch, CancellationToken cancellationToken);
}
