using System.Globalization;
using System.Text;

namespace Sluice.Core.Artifacts.Plx;

/// <summary>
/// A double as Python's <c>str(float)</c> (its <c>repr</c>) writes it: the shortest digits that
/// read back to the same double, in fixed notation between 1e-4 and 1e16 (always with a '.',
/// <c>1.0</c>), in exponent notation outside it (<c>1e-05</c>, <c>1.5e+16</c>), and <c>nan</c>,
/// <c>inf</c>, <c>-inf</c>. Polyaxon names log chunks and writes metric values this way.
/// </summary>
public static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        string sign = double.IsNegative(value) ? "-" : "";
        if (value == 0)
        {
            return sign + "0.0";
        }

        // .NET's "R" is also the shortest round-trip form; only the layout differs from Python's.
        (string digits, int point) = Digits(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var text = new StringBuilder(sign);
        if (point <= -4 || point > 16)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            int exponent = point - 1;
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("D2", CultureInfo.InvariantCulture));
        }
        else if (point <= 0)
        {
            text.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            text.Append(digits).Append('0', point - digits.Length).Append(".0");
        }
        else
        {
            text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }

        return text.ToString();
    }

    /// <summary>Reads what Python writes (and what <see cref="double.Parse(string)"/> reads): <c>nan</c>, <c>inf</c>, <c>1e-05</c>, <c>3</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        switch (text)
        {
            case "nan" or "NaN" or "-nan":
                value = double.NaN;
                return true;
            case "inf" or "+inf" or "Infinity" or "infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-Infinity" or "-infinity":
                value = double.NegativeInfinity;
                return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>The significant digits of a positive "R"-formatted number, and where the point goes: value = 0.digits × 10^point.</summary>
    private static (string Digits, int Point) Digits(string formatted)
    {
        int e = formatted.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? formatted : formatted[..e];
        int exponent = e < 0 ? 0 : int.Parse(formatted.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string all = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        int leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        return (all[leading..].TrimEnd('0'), point - leading);
    }
}
