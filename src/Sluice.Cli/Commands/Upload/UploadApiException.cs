using System.Net;

namespace Sluice.Cli.Commands.Upload;

/// <summary>The server refused a multipart call, or could not be reached (<see cref="Status"/> null); the message is its problem detail.</summary>
public sealed class UploadApiException(HttpStatusCode? status, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}
