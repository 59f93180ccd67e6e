using System.Globalization;
using System.Text;
using Sluice.Core.Artifacts.Plx;

namespace Sluice.Core.Artifacts.Events;

/// <summary>
/// One event, a row of <c>events/&lt;kind&gt;/&lt;name&gt;.plx</c> as traceml's <c>V1Event.to_csv</c>
/// writes it: <c>step|timestamp|value</c> under the header <c>step|timestamp|&lt;kind&gt;</c>, the step
/// empty when there is none and the value as the kind stores it (a metric: Python's <c>str(float)</c>).
/// </summary>
public readonly record struct RunEvent(long? Step, DateTimeOffset? Timestamp, string Value)
{
    public static string HeaderOf(string kind) => "step|timestamp|" + kind;

    public static RunEvent Metric(long? step, DateTimeOffset timestamp, double value) =>
        new(step, PlxTimestamp.ToMicroseconds(timestamp), PythonFloat.Repr(value));

    public void AppendRow(StringBuilder row) =>
        row.Append(Step?.ToString(CultureInfo.InvariantCulture)).Append(PlxRow.Separator)
            .Append(Timestamp is { } at ? PlxTimestamp.Format(at) : "").Append(PlxRow.Separator)
            .Append(Value);

    /// <summary>A row, or null for one without the three fields or with a step that is not a whole number.</summary>
    public static RunEvent? ParseRow(string row)
    {
        Span<Range> fields = stackalloc Range[3];
        if (!PlxRow.TrySplit(row, fields))
        {
            return null;
        }

        ReadOnlySpan<char> step = row.AsSpan(fields[0]).Trim();
        long? number = null;
        if (step.Length > 0)
        {
            // pandas writes a step column with gaps as floats: "3.0"
            if (long.TryParse(step, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
            {
                number = whole;
            }
            else if (double.TryParse(step, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && real == Math.Floor(real) && Math.Abs(real) < 1e15)
            {
                number = (long)real;
            }
            else
            {
                return null;
            }
        }

        DateTimeOffset? timestamp = PlxTimestamp.TryParse(row.AsSpan(fields[1]), out DateTimeOffset at) ? at : null;
        return new RunEvent(number, timestamp, row[fields[2]]);
    }
}
