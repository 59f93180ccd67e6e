# syntax=docker/dockerfile:1
#
# Sluice, as a container that runs as a non-root user on a read-only root filesystem (the
# `client` stage below builds the native client alone):
#
#   docker build -t sluice .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp -v sluice-data:/data \
#     -e SLUICE_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" -e SLUICE_ADMIN_TOKEN=… sluice
#
# The only place it writes is /data (SLUICE_DATA_DIR: the SQLite database, and the encryption
# key and admin token when they are not given). /tmp is optional: when it is writable the .NET
# runtime puts its diagnostics socket there (for dotnet-counters, dotnet-trace, dotnet-dump);
# when it is not, the runtime goes on without one.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The build needs only these (.dockerignore keeps everything else, bin/ and obj/ included, out).
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# The NuGet cache survives between builds (BuildKit), so a source change does not download again.
# For the build machine's runtime (--use-current-runtime): ReadyToRun code, no other platforms' files.
RUN --mount=type=cache,id=sluice-nuget,target=/root/.nuget/packages \
    dotnet publish src/Sluice.Cli -c Release --use-current-runtime --self-contained false -o /app

# The native client (`sluice` without `serve`, no .NET runtime): for job images and sidecars.
#   docker build --target client -t sluice-client .
#   docker run --rm -v "$PWD/outputs:/outputs" -e SLUICE_CONFIG=… sluice-client artifacts push /outputs
# or copy the one file into a job's own image:
#   COPY --from=sluice-client /usr/local/bin/sluice /usr/local/bin/sluice
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build-client
# Native AOT links with clang, and with zlib for the runtime's compression.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY scripts/publish-native.sh scripts/
RUN --mount=type=cache,id=sluice-nuget,target=/root/.nuget/packages \
    scripts/publish-native.sh /client

# Only what a self-contained native executable needs: glibc, OpenSSL (https) and CA certificates.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS client
LABEL org.opencontainers.image.title="Sluice client" \
      org.opencontainers.image.description="sluice artifacts, upload, presign, tokens and accounts as one native executable"
COPY --from=build-client /client/sluice /usr/local/bin/sluice
USER $APP_UID
ENTRYPOINT ["/usr/local/bin/sluice"]

# The server (the last stage, so that a plain `docker build` builds it).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
LABEL org.opencontainers.image.title="Sluice" \
      org.opencontainers.image.description="A gateway that hands out SigV4 presigned S3 URLs"
WORKDIR /app
# Owned by root and read-only for the user the server runs as.
COPY --from=build /app /app
# The data directory belongs to the image's non-root user 'app' (UID $APP_UID, 1654); a named
# volume mounted here starts with this owner. A host directory mounted here must be writable by 1654.
RUN mkdir /data && chown "$APP_UID:$APP_UID" /data && chmod 0700 /data
VOLUME ["/data"]
# ASPNETCORE_URLS replaces the base image's ASPNETCORE_HTTP_PORTS (emptied so that ASP.NET Core
# does not warn that one overrides the other); `--urls` after the image name still wins.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ASPNETCORE_HTTP_PORTS= \
    SLUICE_DATA_DIR=/data \
    SLUICE_LOG_FORMAT=json
EXPOSE 8080
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER $APP_UID
# No HEALTHCHECK: Kubernetes probes /healthz (live) and /readyz (database reachable).
ENTRYPOINT ["dotnet", "/app/sluice.dll", "serve"]
