using System.Globalization;
using System.Text;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Plx;

namespace Sluice.Tests.Artifacts.Plx;

/// <summary>
/// The two Python formats Polyaxon's files carry, against values Python printed (the theories) and
/// against Python itself over thousands of generated values: <c>repr(float)</c> (chunk names,
/// metric values) and <c>str(datetime)</c> with <c>datetime.timestamp()</c> (every row's time).
/// </summary>
public sealed class PythonFormatsTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1.234e-5, "1.234e-05")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(12345678901234567890.0, "1.2345678901234567e+19")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1.5e-10, "1.5e-10")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(1.4142135623730951, "1.4142135623730951")]
    [InlineData(1e22, "1e+22")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Repr_writes_what_Python_writes(double value, string python)
    {
        Assert.Equal(python, PythonFloat.Repr(value));
        Assert.True(PythonFloat.TryParse(python, out double back));
        Assert.Equal(value, back);
    }

    [Theory]
    [InlineData("2026-11-23T08:00:00.0000000Z", "2026-11-23 08:00:00+00:00", "1795420800.0.plx")]
    [InlineData("2026-12-04T00:32:29.1234567Z", "2026-12-04 00:32:29.123456+00:00", "1796344349.123456.plx")]
    [InlineData("2026-12-04T00:32:29.0001000Z", "2026-12-04 00:32:29.000100+00:00", "1796344349.0001.plx")]
    [InlineData("2038-01-19T05:14:07.9999990+02:00", "2038-01-19 03:14:07.999999+00:00", "2147483647.999999.plx")]
    public void Times_and_chunk_names_are_what_Python_writes(string time, string python, string chunkName)
    {
        var at = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);
        Assert.Equal(python, PlxTimestamp.Format(at));
        Assert.Equal(chunkName, LogChunk.NameOf(at));
        Assert.Equal(PlxTimestamp.ToMicroseconds(at), LogChunk.TimeOfName(chunkName));
        Assert.True(PlxTimestamp.TryParse(python, out DateTimeOffset back));
        Assert.Equal(PlxTimestamp.ToMicroseconds(at), back);
    }

    [Fact]
    public async Task Generated_floats_and_times_are_written_as_Python_writes_them()
    {
        var random = new Random(20261204);
        var doubles = new List<double>();
        for (int i = 0; i < 3000; i++)
        {
            doubles.Add((i % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()), // any double, NaNs included
                1 => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-8, 20)), random.Next(0, 12)),
                _ => random.NextDouble() * Math.Pow(10, random.Next(-320, 308)) * (random.Next(2) == 0 ? -1 : 1),
            });
        }

        var times = new List<long>(); // microseconds since the epoch, 1970 to 2200
        for (int i = 0; i < 3000; i++)
        {
            long micros = random.NextInt64(0, 7_258_118_400_000_000);
            times.Add(i % 4 == 0 ? micros - micros % 1_000_000 : micros); // whole seconds too: no fraction
        }

        var input = new StringBuilder();
        foreach (double value in doubles)
        {
            input.Append("f ").Append(BitConverter.DoubleToInt64Bits(value).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (long micros in times)
        {
            input.Append("t ").Append(micros.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        string output = await PythonReference.RunAsync("""
            import sys, struct, datetime
            utc = datetime.timezone.utc
            epoch = datetime.datetime(1970, 1, 1, tzinfo=utc)
            for line in sys.stdin:
                kind, number = line.split()
                if kind == "f":
                    value = struct.unpack("<d", struct.pack("<q", int(number)))[0]
                    print(repr(value))
                else:
                    at = epoch + datetime.timedelta(microseconds=int(number))
                    print(str(at) + " " + str(at.timestamp()))
            """, input.ToString());

        string[] python = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(doubles.Count + times.Count, python.Length);
        for (int i = 0; i < doubles.Count; i++)
        {
            Assert.Equal(python[i], PythonFloat.Repr(doubles[i]));
        }

        for (int i = 0; i < times.Count; i++)
        {
            DateTimeOffset at = DateTimeOffset.UnixEpoch.AddTicks(times[i] * 10);
            string expected = python[doubles.Count + i];
            string ours = PlxTimestamp.Format(at) + " " + PythonFloat.Repr(PlxTimestamp.PosixSeconds(at));
            Assert.Equal(expected, ours);
            Assert.Equal(at, LogChunk.TimeOfName(LogChunk.NameOf(at)));
        }
    }
}
