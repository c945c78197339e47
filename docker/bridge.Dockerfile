# syntax=docker/dockerfile:1
# GrayBridge bridge image, built by docker-compose.yml from the repository root:
#   docker build -f docker/bridge.Dockerfile -t graybridge/bridge:dev .
# Needs a Docker engine with BuildKit; the project's own CI machines have no Docker engine, so this file
# is not built there.

# ---- build: the whole reactor, tests compiled but not run --------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# ---- runtime: the bridge jar and its lib/ folder, run with java -cp (the jar has no Class-Path entry) ----
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin graybridge
WORKDIR /app
COPY --from=build /src/cdc-bridge/target/graybridge.jar /app/graybridge.jar
COPY --from=build /src/cdc-bridge/target/lib/ /app/lib/
USER graybridge
# the JVM is PID 1: docker stop's SIGTERM runs the bridge's shutdown hook
ENTRYPOINT ["java", "-cp", "/app/graybridge.jar:/app/lib/*", "io.graybridge.bridge.cli.GrayBridgeCli"]
CMD ["run", "-c", "/config/bridge.yaml"]
