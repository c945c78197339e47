#!/usr/bin/env bash
# Configure the machine's PostgreSQL cluster for GrayBridge's tests (logical decoding with pgoutput)
# and make sure it is running on 127.0.0.1:5432.
#
# - writes <conf dir>/conf.d/99-graybridge.conf (and makes sure postgresql.conf has include_dir 'conf.d')
# - restarts the cluster ONLY when a running value differs from the wanted one; starts it if it is down
# - waits for pg_isready (GB_CI_PG_TIMEOUT seconds, default 90)
#
# Idempotent: a second run changes nothing and restarts nothing.
# Needs root (or the postgres user) and Debian's postgresql-common (pg_lsclusters, pg_ctlcluster).
set -euo pipefail

log() { echo "postgres: $*"; }
die() { echo "postgres: ERROR: $*" >&2; exit 1; }

PG_HOST=127.0.0.1
PG_PORT="${GB_CI_PG_PORT:-5432}"
TIMEOUT="${GB_CI_PG_TIMEOUT:-90}"

# name=value, in the order they are compared; values as SHOW prints them
WANTED=(
  "wal_level=logical"
  "max_replication_slots=40"
  "max_wal_senders=40"
  "track_commit_timestamp=on"
  "max_connections=300"
)

command -v pg_lsclusters >/dev/null || die "pg_lsclusters not found (Debian package postgresql-common)"
command -v psql >/dev/null || die "psql not found"

# --- find the cluster: the one on $PG_PORT, else the first one -------------------------------------
# pg_lsclusters -h: ver cluster port status owner datadir logfile
line="$(pg_lsclusters -h | awk -v p="$PG_PORT" '$3 == p {print; exit}')"
[[ -n "$line" ]] || line="$(pg_lsclusters -h | head -n1)"
[[ -n "$line" ]] || die "no PostgreSQL cluster found by pg_lsclusters"
read -r PG_VER PG_CLUSTER PG_CPORT _ PG_OWNER _ <<<"$line"
[[ "$PG_CPORT" == "$PG_PORT" ]] || die "cluster $PG_VER/$PG_CLUSTER listens on $PG_CPORT, tests expect $PG_PORT"
CONF_DIR="/etc/postgresql/$PG_VER/$PG_CLUSTER"
[[ -f "$CONF_DIR/postgresql.conf" ]] || die "$CONF_DIR/postgresql.conf not found"
log "cluster $PG_VER/$PG_CLUSTER (port $PG_PORT, config $CONF_DIR)"

# --- conf.d file -----------------------------------------------------------------------------------
if ! grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'conf\.d'" "$CONF_DIR/postgresql.conf"; then
  log "postgresql.conf has no include_dir 'conf.d': adding it"
  printf "\ninclude_dir = 'conf.d'\t# added by GrayBridge .ci/setup-postgres.sh\n" >>"$CONF_DIR/postgresql.conf"
fi
install -d -o "$PG_OWNER" -g "$PG_OWNER" -m 0755 "$CONF_DIR/conf.d"
CONF_FILE="$CONF_DIR/conf.d/99-graybridge.conf"
tmp="$(mktemp)"
{
  echo "# GrayBridge tests: logical decoding (pgoutput) for Debezium. Written by .ci/setup-postgres.sh."
  for kv in "${WANTED[@]}"; do echo "${kv%%=*} = ${kv#*=}"; done
} >"$tmp"
if [[ -f "$CONF_FILE" ]] && cmp -s "$tmp" "$CONF_FILE"; then
  log "$CONF_FILE up to date"
  rm -f "$tmp"
else
  install -o "$PG_OWNER" -g "$PG_OWNER" -m 0644 "$tmp" "$CONF_FILE"
  rm -f "$tmp"
  log "wrote $CONF_FILE"
fi

# --- helpers ---------------------------------------------------------------------------------------
pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1; }
wait_ready() {
  local start=$SECONDS
  until pg_ready; do
    if (( SECONDS - start >= TIMEOUT )); then
      echo "postgres: ERROR: not accepting connections on $PG_HOST:$PG_PORT after ${TIMEOUT}s" >&2
      echo "postgres: last lines of the server log:" >&2
      tail -n 30 "/var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  log "accepting connections on $PG_HOST:$PG_PORT (after $(( SECONDS - start ))s)"
}
show() { psql -X -w -A -t -q -U postgres -h "$PG_HOST" -p "$PG_PORT" -d postgres -c "SHOW $1"; }
ctl() { pg_ctlcluster --skip-systemctl-redirect "$PG_VER" "$PG_CLUSTER" "$@"; }

# --- running? --------------------------------------------------------------------------------------
if ! pg_ready; then
  status="$(pg_lsclusters -h | awk -v v="$PG_VER" -v c="$PG_CLUSTER" '$1 == v && $2 == c {print $4}')"
  if [[ "$status" == online* ]]; then
    log "cluster says $status but does not answer yet; waiting"
  else
    log "cluster is $status: starting it"
    ctl start || die "pg_ctlcluster start failed (see /var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log)"
  fi
  wait_ready
fi

# --- compare running values --------------------------------------------------------------------
differs=()
for kv in "${WANTED[@]}"; do
  name="${kv%%=*}" want="${kv#*=}"
  have="$(show "$name")"
  if [[ "$have" == "$want" ]]; then
    log "$name already $want, no restart"
  else
    log "$name is $have, want $want"
    differs+=("$name")
  fi
done

if (( ${#differs[@]} > 0 )); then
  log "restarting cluster $PG_VER/$PG_CLUSTER for: ${differs[*]}"
  ctl restart || die "pg_ctlcluster restart failed (see /var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log)"
  wait_ready
  for kv in "${WANTED[@]}"; do
    name="${kv%%=*}" want="${kv#*=}"
    have="$(show "$name")"
    [[ "$have" == "$want" ]] ||
      die "$name is still $have after restart (overridden elsewhere? check postgresql.auto.conf / later conf.d files)"
  done
  log "restarted; all settings in effect"
else
  log "all settings in effect, no restart"
fi
