using Sluice.Core.Accounts;

namespace Sluice.Server.Problems;

/// <summary>
/// RFC 9457 problem-details answers. Validation problems carry an <c>errors</c> map from each
/// field to what is wrong with it, and a <c>detail</c> that names them in one sentence.
/// </summary>
public static class ProblemResults
{
    public static IResult Invalid(IReadOnlyList<FieldError> errors) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
            title: "The request is invalid");

    public static IResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static IResult Status(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    public static IResult AccountNotFound(string id) =>
        Status(StatusCodes.Status404NotFound, "Account not found", $"No AwsAccount with id '{id}'.");
}
