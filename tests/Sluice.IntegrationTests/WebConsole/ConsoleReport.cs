using System.Text.Json;

namespace Sluice.IntegrationTests.WebConsole;

/// <summary>What tests/browser/console.mjs saw in one flow, and the checks every flow must pass.</summary>
public sealed class ConsoleReport(JsonElement root)
{
    public JsonElement Steps => root.GetProperty("steps");

    public JsonElement Step(string name) => Steps.GetProperty(name);

    public string Text(string name) => Step(name).GetString()!;

    public List<string> Texts(string name) => Step(name).EnumerateArray().Select(e => e.GetString()!).ToList();

    public IEnumerable<string> Requests => root.GetProperty("requests").EnumerateArray().Select(e => e.GetString()!);

    public IEnumerable<string> Console => root.GetProperty("console").EnumerateArray().Select(e => e.GetString()!);

    /// <summary>
    /// The flow ran to its end; axe found nothing serious or critical on any page it checked; no page
    /// is wider than a 360 px screen; the policy refused nothing and no script failed; and no request
    /// carried a secret in its URL.
    /// </summary>
    public void AssertClean(params string[] secrets)
    {
        Assert.False(root.TryGetProperty("error", out var error), $"{error}\n{Describe()}");
        var audits = root.GetProperty("audits").EnumerateArray().ToList();
        Assert.NotEmpty(audits);
        foreach (var audit in audits)
        {
            Assert.True(audit.GetProperty("violations").GetArrayLength() == 0, $"axe on {audit.GetProperty("page")}: {audit.GetProperty("violations")}");
        }

        foreach (var page in root.GetProperty("overflow").EnumerateObject())
        {
            Assert.True(page.Value.GetInt32() <= 360, $"{page.Name} is {page.Value} px wide at 360 px");
        }

        Assert.DoesNotContain(Console, line => line.Contains("Content Security Policy", StringComparison.Ordinal) || line.StartsWith("pageerror", StringComparison.Ordinal));
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(Requests, r => r.Contains(secret, StringComparison.Ordinal) || r.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal));
        }
    }

    /// <summary>For assertion messages: the steps, the console, and the page when the flow failed.</summary>
    public string Describe() =>
        $"steps: {Steps}\nconsole:\n  {string.Join("\n  ", Console)}\n" + (root.TryGetProperty("html", out var html) ? $"page:\n{html}" : "");

    public override string ToString() => Describe();
}
