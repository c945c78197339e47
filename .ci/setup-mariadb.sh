#!/usr/bin/env bash
# Configure the machine's MariaDB server for GrayBridge's tests (row-based binlog for Debezium)
# and make sure it is running on 127.0.0.1:3306.
#
# - writes /etc/mysql/mariadb.conf.d/60-graybridge.cnf ([mariadbd] group) and makes sure the server
#   reads that directory (some machines ship a bare /etc/mysql/my.cnf without the !includedir line)
# - restarts the server ONLY when a running value differs; starts it if it is down
#   (no systemd: stop with mariadb-admin shutdown, start with start-stop-daemon as user mysql)
# - waits for mariadb-admin ping (GB_CI_MARIADB_TIMEOUT seconds, default 90)
#
# Idempotent: a second run changes nothing and restarts nothing.
set -euo pipefail

log() { echo "mariadb: $*"; }
die() { echo "mariadb: ERROR: $*" >&2; exit 1; }

HOST=127.0.0.1
PORT="${GB_CI_MARIADB_PORT:-3306}"
TIMEOUT="${GB_CI_MARIADB_TIMEOUT:-90}"
MARIADBD=/usr/sbin/mariadbd
CONF_DIR=/etc/mysql/mariadb.conf.d
CONF_FILE="$CONF_DIR/60-graybridge.cnf"
SOCKET_DIR=/run/mysqld
ERROR_LOG=/var/log/mysql/error.log

# name=value as the server reports it (see query below)
WANTED=(
  "server_id=1"
  "log_bin=ON"
  "log_bin_basename=mariadb-bin"
  "binlog_format=ROW"
  "binlog_row_image=FULL"
  "binlog_row_metadata=FULL"
  "expire_logs_days=1"
  "max_connections=300"
)
# what the server is asked, in the order of WANTED
# ('|'-separated: a tab-separated row would lose empty fields to bash's word splitting)
QUERY="SELECT CONCAT_WS('|', @@server_id, @@log_bin, IFNULL(SUBSTRING_INDEX(@@log_bin_basename, '/', -1), ''),
  @@binlog_format, @@binlog_row_image, @@binlog_row_metadata,
  TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(@@expire_logs_days AS CHAR))), @@max_connections)"

[[ -x "$MARIADBD" ]] || die "$MARIADBD not found (Debian package mariadb-server)"
command -v mariadb >/dev/null || die "mariadb client not found"
command -v mariadb-admin >/dev/null || die "mariadb-admin not found"

sql() { mariadb -uroot -h"$HOST" -P"$PORT" --connect-timeout=5 --batch --skip-column-names -e "$1"; }
alive() { mariadb-admin -uroot -h"$HOST" -P"$PORT" --connect-timeout=2 ping >/dev/null 2>&1; }
process_running() { start-stop-daemon --status --exec "$MARIADBD" >/dev/null 2>&1; }

wait_alive() {
  local start=$SECONDS
  until alive; do
    if (( SECONDS - start >= TIMEOUT )); then
      echo "mariadb: ERROR: not answering on $HOST:$PORT after ${TIMEOUT}s" >&2
      echo "mariadb: last lines of $ERROR_LOG:" >&2
      tail -n 30 "$ERROR_LOG" >&2 || true
      exit 1
    fi
    sleep 1
  done
  log "answering on $HOST:$PORT (after $(( SECONDS - start ))s)"
}

start_server() {
  install -d -o mysql -g mysql -m 0755 "$SOCKET_DIR"
  install -d -o mysql -g mysql -m 0750 "$(dirname "$ERROR_LOG")"
  # --oknodo: nothing happens if a mariadbd is already running; --background detaches it (stdio to /dev/null)
  start-stop-daemon --start --oknodo --background --exec "$MARIADBD" -- --user=mysql
  wait_alive
}

stop_server() {
  local start=$SECONDS
  mariadb-admin -uroot -h"$HOST" -P"$PORT" --connect-timeout=5 shutdown ||
    die "mariadb-admin shutdown failed"
  while process_running; do
    if (( SECONDS - start >= TIMEOUT )); then
      die "mariadbd still running ${TIMEOUT}s after shutdown"
    fi
    sleep 1
  done
  log "stopped (after $(( SECONDS - start ))s)"
}

# --- config file -----------------------------------------------------------------------------------
install -d -m 0755 "$CONF_DIR"
tmp="$(mktemp)"
cat >"$tmp" <<'EOF'
# GrayBridge tests: row-based binlog for Debezium's MariaDB connector.
# Written by GrayBridge's .ci/setup-mariadb.sh.
[mariadbd]
server_id=1
log_bin=mariadb-bin
binlog_format=ROW
binlog_row_image=FULL
binlog_row_metadata=FULL
expire_logs_days=1
max_connections=300
EOF
if [[ -f "$CONF_FILE" ]] && cmp -s "$tmp" "$CONF_FILE"; then
  log "$CONF_FILE up to date"
  rm -f "$tmp"
else
  install -m 0644 "$tmp" "$CONF_FILE"
  rm -f "$tmp"
  log "wrote $CONF_FILE"
fi

# Does the server read that directory? (Debian's stock my.cnf -> mariadb.cnf has !includedir for it.)
if ! "$MARIADBD" --print-defaults 2>/dev/null | grep -Eq -- '--binlog[-_]row[-_]metadata=FULL'; then
  MY_CNF="$(readlink -f /etc/mysql/my.cnf)"
  log "$MY_CNF does not include $CONF_DIR: adding !includedir"
  printf '\n# added by GrayBridge .ci/setup-mariadb.sh\n!includedir %s/\n' "$CONF_DIR" >>"$MY_CNF"
  "$MARIADBD" --print-defaults 2>/dev/null | grep -Eq -- '--binlog[-_]row[-_]metadata=FULL' ||
    die "mariadbd still does not read $CONF_FILE (see: $MARIADBD --print-defaults)"
fi

# --- running? --------------------------------------------------------------------------------------
if ! alive; then
  if process_running; then
    log "mariadbd process exists but does not answer yet; waiting"
    wait_alive
  else
    log "server is down: starting it"
    start_server
  fi
fi

# --- compare running values --------------------------------------------------------------------
compare() {
  local row have name want i
  row="$(sql "$QUERY")" || die "cannot query server variables as root@$HOST"
  IFS='|' read -r -a have <<<"$row"
  differs=()
  for i in "${!WANTED[@]}"; do
    name="${WANTED[$i]%%=*}" want="${WANTED[$i]#*=}"
    if [[ "${have[$i]:-}" == "$want" ]]; then
      [[ "${1:-}" == quiet ]] || log "$name already $want, no restart"
    else
      log "$name is '${have[$i]:-}', want $want"
      differs+=("$name")
    fi
  done
}

compare
if (( ${#differs[@]} > 0 )); then
  log "restarting for: ${differs[*]}"
  stop_server
  start_server
  compare quiet
  (( ${#differs[@]} == 0 )) || die "still differs after restart: ${differs[*]} (overridden by another config file?)"
  log "restarted; all settings in effect"
else
  log "all settings in effect, no restart"
fi
