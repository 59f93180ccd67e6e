namespace Sluice.Core.Providers;

/// <summary>Reading a small object whole (a log chunk, an event file), for the code that parses it.</summary>
public static class WholeObjects
{
    /// <summary>The object's bytes and its ETag (without quotes); <see cref="ObjectStoreFailure.NotFound"/> when there is none.</summary>
    public static async Task<(byte[] Bytes, string ETag)> ReadWholeAsync(this IObjectStore store, string key, CancellationToken cancellationToken)
    {
        using FetchedObject fetched = await store.GetAsync(key, range: null, ifMatch: null, cancellationToken);
        using var content = new MemoryStream();
        await fetched.Body.CopyToAsync(content, cancellationToken);
        return (content.ToArray(), fetched.ETag);
    }
}
