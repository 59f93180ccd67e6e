using Sluice.Core.Artifacts.Plx;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// Where a writer's lines come from, the node, pod and container columns of every row. Given
/// ones win; otherwise they come from the environment a Kubernetes pod can be given through the
/// downward API: <c>POLYAXON_K8S_NODE_NAME</c> or <c>NODE_NAME</c> (<c>spec.nodeName</c>),
/// <c>POD_NAME</c> (<c>metadata.name</c>; in a pod, <c>HOSTNAME</c> is the pod's name too). The
/// downward API cannot give a container's name, and <c>CONTAINER_NAME</c> means other things in
/// other places, so the container is only what is given.
/// </summary>
public sealed record LogSource(string? Node, string? Pod, string? Container)
{
    public static LogSource From(string? node, string? pod, string? container, Func<string, string?> environment)
    {
        bool inPod = !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"));
        return new LogSource(
            First(node, environment("POLYAXON_K8S_NODE_NAME"), environment("NODE_NAME")),
            First(pod, environment("POD_NAME"), inPod ? environment("HOSTNAME") : null),
            First(container));
    }

    /// <summary>What is wrong with one of the names (a '|' or a control character would break the row), naming it; or null.</summary>
    public string? Problem()
    {
        foreach ((string field, string? value) in new[] { ("node", Node), ("pod", Pod), ("container", Container) })
        {
            if (value is not null && PlxRow.FieldProblem(value) is { } problem)
            {
                return $"the {field} name '{value}' {problem}";
            }
        }

        return null;
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(value => !string.IsNullOrEmpty(value));
}
