using System.Net.Http.Headers;
using System.Text;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// What a browser sends for an upload form: <c>multipart/form-data</c> with the fields first and
/// the <c>file</c> field last, written by hand so that every byte on the wire is known.
/// </summary>
public static class BrowserFormPost
{
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, PostPolicyForm form, byte[] file, string fileName = "upload.bin", IReadOnlyDictionary<string, string>? overrides = null)
    {
        string boundary = "----sluice" + Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        var fields = form.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in overrides ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }

        foreach ((string name, string value) in fields)
        {
            Write(body, $"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        }

        Write(body, $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.Write(file);
        Write(body, $"\r\n--{boundary}--\r\n");

        using var request = new HttpRequestMessage(HttpMethod.Post, RadosGatewayFixture.ExactUri(form.Url)) { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return await http.SendAsync(request);
    }

    private static void Write(MemoryStream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
