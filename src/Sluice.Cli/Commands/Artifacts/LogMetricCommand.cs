using System.CommandLine;
using System.Globalization;
using Sluice.Core.Artifacts.Events;
using Sluice.Core.Artifacts.Plx;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts log-metric NAME=VALUE… [--step N]</c>: adds a row to each metric's <c>events/metric/&lt;name&gt;.plx</c>.</summary>
public static class LogMetricCommand
{
    public static Command Create()
    {
        var metrics = new Argument<string[]>("NAME=VALUE") { Description = "Metrics to record, e.g. loss=0.25 accuracy=0.91 (a name may hold '/': train/loss)", Arity = ArgumentArity.ZeroOrMore };
        var step = new Option<string?>("--step") { Description = "The step the values belong to, a whole number (default: none)", Arity = ArgumentArity.ZeroOrOne };
        var options = new ArtifactsOptions();
        var command = new Command("log-metric", """
            Record metric values for a run as Polyaxon's tracking does, so Polyaxon's UI charts them: a row
            step|timestamp|value added to events/metric/<name>.plx (created with its header step|timestamp|metric).
            Each file is rewritten only over the version read, so concurrent writers of one metric lose no row.
              sluice artifacts log-metric --run run-42 --step 100 loss=0.25 accuracy=0.91
            Exit codes: 0 every value stored, 1 the store failed, 2 bad arguments or configuration.
            """)
        { metrics, step };
        options.AddTo(command, partSize: false, concurrency: false);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("log-metric", cancellationToken, async () =>
        {
            var errors = new List<string>();
            TransferOptions? transfer = options.ReadTransferOptions(parse, [], errors);
            string[] values = parse.GetValue(metrics) ?? [];
            var parsed = new List<(string Name, double Value)>();
            if (values.Length == 0)
            {
                errors.Add("give at least one NAME=VALUE, e.g. loss=0.25");
            }

            foreach (string value in values)
            {
                int equals = value.LastIndexOf('=');
                string name = equals < 0 ? value : value[..equals];
                if (equals <= 0)
                {
                    errors.Add($"'{value}' is not NAME=VALUE");
                }
                else if (RunEvents.NameProblem(name) is { } nameProblem)
                {
                    errors.Add($"the metric name '{name}' {nameProblem}");
                }
                else if (!PythonFloat.TryParse(value.AsSpan(equals + 1), out double number))
                {
                    errors.Add($"the value of '{name}' must be a number (nan and inf too), not '{value[(equals + 1)..]}'");
                }
                else if (parsed.Any(p => p.Name == name))
                {
                    errors.Add($"'{name}' is given twice");
                }
                else
                {
                    parsed.Add((name, number));
                }
            }

            long? stepNumber = null;
            if (parse.GetValue(step) is { } stepText)
            {
                if (long.TryParse(stepText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
                {
                    stepNumber = number;
                }
                else
                {
                    errors.Add($"--step must be a whole number, not '{stepText}'");
                }
            }

            if (errors.Count > 0)
            {
                ArtifactsOptions.Report("log-metric", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "log-metric", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                RunEvents events = client.Events(run);
                DateTimeOffset now = DateTimeOffset.UtcNow;
                foreach ((string name, double value) in parsed)
                {
                    await events.AppendAsync(EventKinds.Metric, name, [RunEvent.Metric(stepNumber, now, value)], cancellationToken);
                }

                return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
