using System.CommandLine;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts push|pull|ls|rm|sync|logs|log-metric</c>: a run's outputs, events, assets and logs in an artifact store, laid out as Polyaxon lays a run out.</summary>
public static class ArtifactsCommand
{
    public static Command Create() => new("artifacts", """
        Move a run's files to and from an artifact store. Stores are named in a YAML file (--config or
        SLUICE_CONFIG) exactly as the seed writes them:
          artifactsStore:
            name: s3-artifacts
            kind: s3
            schema:
              bucket: "s3://bucket/prefix/"
            secret:
              name: "s3-secret"
        (and/or a connections: list of the same). A run's files live at <prefix>/<run>/outputs|events|assets|plxlogs|resources/,
        as Polyaxon lays a run out.
        A secret is read from <secrets-dir>/<name>/<KEY> files when that directory exists (as Kubernetes mounts a
        Secret), otherwise from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (or
        AWS_SECURITY_TOKEN), AWS_ENDPOINT_URL, AWS_REGION, AWS_USE_SSL, AWS_VERIFY_SSL; without keys, the AWS default chain.
        """)
    {
        PushCommand.Create(),
        PullCommand.Create(),
        LsCommand.Create(),
        RmCommand.Create(),
        SyncCommand.Create(),
        LogsCommand.Create(),
        LogMetricCommand.Create(),
    };
}
