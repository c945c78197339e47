#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (the CI machines have only the docker client):
# Debian's docker-compose 1.29 checks the file against the Compose schema, resolves every variable and
# checks that every secret file and bind-mounted path exists, all without talking to an engine.
# Installs the package when missing (CI runs as root); elsewhere, without root, it says so and skips.
# The bridge config the stack mounts (config/compose/bridge.yaml) is checked by ConfigLoaderTest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v docker-compose >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's docker-compose (the validator; no engine needed)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/tmp/graybridge-apt-compose.log 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose \
           >/tmp/graybridge-apt-compose.log 2>&1; } \
      || { echo "ERROR: could not install docker-compose (see /tmp/graybridge-apt-compose.log)" >&2; exit 1; }
  else
    echo "SKIPPED: docker-compose is not installed and this user cannot install it (apt-get as root)"
    exit 0
  fi
fi

docker-compose --version
docker-compose -f docker-compose.yml config -q
for f in $(docker-compose -f docker-compose.yml config | awk '/^secrets:/{s=1} s && /file:/{print $2}'); do
  [[ -s "$f" ]] || { echo "ERROR: compose secret file $f is missing or empty" >&2; exit 1; }
done
echo "docker-compose.yml: valid ($(docker-compose -f docker-compose.yml config --services | tr '\n' ' '))"
