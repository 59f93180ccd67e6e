namespace Sluice.IntegrationTests.Browser;

/// <summary>What tests/browser/upload-page.mjs saw: the page as served, what it requested, and what it showed at the end.</summary>
public sealed record PageReport(
    int PageStatus,
    string? ContentSecurityPolicy,
    string? AddressAfterLoad,
    bool TokenFieldFilled,
    string? State,
    string? Status,
    double Progress,
    string? Key,
    string? Etag,
    string? Size,
    IReadOnlyList<string> Requests,
    IReadOnlyList<string> Console,
    string? Error)
{
    /// <summary>For assertion messages: everything the driver saw.</summary>
    public override string ToString() =>
        $"state={State} status='{Status}' error={Error}\nrequests:\n  {string.Join("\n  ", Requests)}\nconsole:\n  {string.Join("\n  ", Console)}";
}
