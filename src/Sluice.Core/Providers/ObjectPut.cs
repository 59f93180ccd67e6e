using Sluice.Core.Transfers;

namespace Sluice.Core.Providers;

/// <summary>
/// One object written whole from <see cref="Content"/> (read once, not closed). <see cref="Digest"/>,
/// when given, is sent so the store checks the bytes (and carries the SHA-256 when the store
/// <see cref="IObjectStore.WantsSha256"/>). <see cref="OnlyIfAbsent"/> writes only where no object is;
/// <see cref="IfMatch"/> only over the object with that ETag (the seam's, as read), for a
/// read-modify-write that loses no other writer's change.
/// </summary>
public sealed record ObjectPut(string Key, Stream Content, PayloadDigest? Digest, string? ContentType, bool OnlyIfAbsent = false, string? IfMatch = null);
