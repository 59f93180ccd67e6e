using System.CommandLine;
using System.Globalization;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands;

/// <summary>
/// What the commands that check their own arguments share. They take values as text and report
/// every mistake at once (exit 2), unknown arguments among them: <see cref="Program"/> lets such a
/// command run on a parse whose only errors are unknown arguments, so that its help stays plain
/// (no "additional arguments") while its errors stay complete.
/// </summary>
public static class CommandArguments
{
    private static readonly HashSet<Command> ReportingOwnErrors = [];

    /// <summary>Marks <paramref name="command"/> as one whose action reports its unknown arguments (<see cref="AddUnknown"/>).</summary>
    public static void ReportsUnknownArguments(Command command) => ReportingOwnErrors.Add(command);

    /// <summary>Whether <paramref name="parse"/> should go to its command's own action despite its errors: they are all unknown arguments, and the command reports them.</summary>
    public static bool HandledByCommand(ParseResult parse) =>
        parse.Errors.Count > 0 && parse.Errors.Count == parse.UnmatchedTokens.Count && ReportingOwnErrors.Contains(parse.CommandResult.Command);

    /// <summary>Each argument the parser did not know, as one error.</summary>
    public static void AddUnknown(ParseResult parse, List<string> errors)
    {
        foreach (string token in parse.UnmatchedTokens)
        {
            errors.Add(token.StartsWith('-') ? $"unknown option {token}" : $"unexpected argument '{token}'");
        }
    }

    /// <summary><paramref name="defaults"/> with <c>--part-size</c> and <c>--concurrency</c> as given (either option may be absent from the command), checked.</summary>
    public static TransferOptions ReadTransfer(ParseResult parse, Option<string?>? partSize, Option<string?>? concurrency, TransferOptions defaults, List<string> errors)
    {
        TransferOptions options = defaults;
        if (partSize is not null && parse.GetValue(partSize) is { } partText)
        {
            if (Sizes.TryParse(partText, out long bytes))
            {
                options = options with { PartSize = bytes };
            }
            else
            {
                errors.Add($"--part-size must be a size such as 16MiB or 8388608 (got '{partText}')");
            }
        }

        if (concurrency is not null && parse.GetValue(concurrency) is { } concurrencyText)
        {
            if (int.TryParse(concurrencyText, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                options = options with { Concurrency = n };
            }
            else
            {
                errors.Add($"--concurrency must be a whole number (got '{concurrencyText}')");
            }
        }

        if (options.Problem() is { } problem)
        {
            errors.Add(problem);
        }

        return options;
    }
}
