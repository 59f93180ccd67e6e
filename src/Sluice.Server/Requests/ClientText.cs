namespace Sluice.Server.Requests;

/// <summary>Text a client sent, made fit for a log line.</summary>
internal static class ClientText
{
    /// <summary>Ids and field names that failed validation are client text: at most 80 characters, controls as '?', one printable line.</summary>
    public static string Printable(string text) =>
        new(text.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
