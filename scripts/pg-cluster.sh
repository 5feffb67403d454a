#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite (CTest fixture `postgresql`).
#
#   scripts/pg-cluster.sh start DIR   creates a fresh cluster in DIR, listening on 127.0.0.1
#                                     and a free port; writes its admin URL to DIR/url
#   scripts/pg-cluster.sh stop DIR    stops it (succeeds when there is nothing to stop)
#
# The cluster is sized for tests, not for data: fsync, synchronous_commit and
# full_page_writes are off (PG_CLUSTER_DURABLE=1 keeps them on, for benchmarks). Only user `postgres` may connect, only over loopback (and over
# the unix socket in DIR/sock), with trust auth. initdb and postgres refuse to run as root:
# as root they run as the `postgres` user (from the Debian package) and DIR is chowned to it.
# A cluster left in DIR by an earlier run is stopped and wiped by `start`.
#
# Files in DIR: url, server.log (the server's log), data/ (the cluster), sock/ (its unix
# socket). When the `postgres` user cannot reach DIR (say the build tree is under /root),
# or DIR is too long for a unix socket path, the cluster lives in /tmp/kizuna-pg.XXXXXX
# instead; DIR/root names it and DIR/server.log links to its log.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MARKER=.kizuna-pg-cluster
START_ATTEMPTS=10

die() { echo "pg-cluster: $*" >&2; exit 1; }
say() { echo "pg-cluster: $*"; }

usage() { echo "usage: $0 start|stop|pause|resume DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
[ -n "$2" ] || usage
dir=$(realpath -m -- "$2")
case "$dir" in
  / | /usr | /usr/* | /etc | /etc/* | /bin | /bin/* | /var | /proc/* | /sys/*) die "refusing to use $dir" ;;
esac

if [ "$(id -u)" -eq 0 ]; then
  as_root=yes
  getent passwd postgres >/dev/null || die "running as root but there is no 'postgres' user (install postgresql-15: scripts/install-deps.sh)"
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  as_root=no
  as_owner() { (cd / && "$@"); }
fi

# Where the cluster's files live: DIR, or the /tmp directory DIR/root points to.
cluster_root() {
  if [ -f "$dir/root" ]; then cat "$dir/root"; else echo "$dir"; fi
}

# True while pid is a live postgres process (a zombie is not: PID 1 of a container may
# never reap the daemonized postmaster).
is_postmaster() {  # pid
  local comm state
  comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
  [ "$comm" = postgres ] || [ "$comm" = postmaster ] || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

log_tail() {
  local root log
  root=$(cluster_root)
  log="$root/server.log"
  if [ -s "$log" ]; then
    echo "pg-cluster: last lines of $log:" >&2
    tail -n 30 "$log" | sed 's/^/    /' >&2
  fi
}

stop_cluster() {
  [ -d "$dir" ] || return 0
  local root data pid
  root=$(cluster_root)
  data="$root/data"
  rm -f "$dir/url"
  if [ -f "$data/postmaster.pid" ]; then
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_postmaster "$pid"; then
      say "stopping the cluster in $data (pid $pid)"
      as_owner "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null 2>&1 || true
      if is_postmaster "$pid"; then
        say "the server did not stop; killing pid $pid and its children"
        local children
        children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
        kill -KILL "$pid" 2>/dev/null || true
        for child in $children; do kill -KILL "$child" 2>/dev/null || true; done
        for _ in $(seq 50); do is_postmaster "$pid" || break; sleep 0.1; done
        is_postmaster "$pid" && die "could not stop pid $pid"
      fi
    fi
  fi
  return 0
}

# Removes the cluster and every file of ours in DIR (keeps DIR itself).
wipe() {
  local root
  root=$(cluster_root)
  if [ "$root" != "$dir" ] && [ -f "$root/$MARKER" ]; then rm -rf -- "$root"; fi
  find "$dir" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +
}

pick_port() {
  # Below the kernel's ephemeral range, where the tests' own servers (port 0) and outgoing
  # connections take their ports.
  local low _high port
  read -r low _high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  [ "$low" -gt 16000 ] || low=61000
  for _ in $(seq 100); do
    port=$((15000 + (RANDOM * 32768 + RANDOM) % (low - 15000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "found no free port"
}

start_cluster() {
  [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
    die "PostgreSQL 15 is not installed ($PG_BIN/initdb): run scripts/install-deps.sh (package postgresql-15)"

  # A cluster left by an earlier run.
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    [ -f "$dir/$MARKER" ] || die "$dir is not empty and was not made by this script; refusing to wipe it"
    stop_cluster
    wipe
  fi
  mkdir -p "$dir"
  touch "$dir/$MARKER"

  local root="$dir"
  # The socket path must fit in sun_path (108 bytes) with room for "/sock/.s.PGSQL.NNNNN".
  if [ ${#dir} -gt 80 ]; then
    root=$(mktemp -d /tmp/kizuna-pg.XXXXXX)
  elif [ "$as_root" = yes ]; then
    chown postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir" -a -x "$dir"; then
      chown "$(id -u):$(id -g)" "$dir"
      root=$(mktemp -d /tmp/kizuna-pg.XXXXXX)
      say "user postgres cannot reach $dir (a parent directory is closed to it); the cluster goes to $root"
    fi
  fi
  if [ "$root" != "$dir" ]; then
    chmod 755 "$root"
    touch "$root/$MARKER"
    echo "$root" >"$dir/root"
    ln -s "$root/server.log" "$dir/server.log"
  fi
  local data="$root/data" sock="$root/sock" log="$root/server.log"
  mkdir -p "$sock"
  chmod 700 "$sock"
  : >"$log"
  if [ "$as_root" = yes ]; then chown -R postgres: "$root"; fi

  # UTF-8 throughout; C.UTF-8 classifies characters (upper/lower, ILIKE) for all scripts
  # while sorting stays byte-wise.
  local locale_args=(--encoding=UTF8 --lc-collate=C --lc-ctype=C.UTF-8 --lc-messages=C)
  locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' || locale_args=(--encoding=UTF8 --no-locale)
  say "initdb in $data"
  if ! as_owner "$PG_BIN/initdb" -D "$data" -U postgres -A trust "${locale_args[@]}" >"$root/initdb.log" 2>&1; then
    cat "$root/initdb.log" >&2
    die "initdb failed"
  fi

  cat >"$data/pg_hba.conf" <<'EOF'
# Test cluster (scripts/pg-cluster.sh): user postgres only, over loopback or the socket in DIR.
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 trust
host    all       postgres  127.0.0.1/32   trust
EOF
  cat >>"$data/postgresql.conf" <<EOF

# --- scripts/pg-cluster.sh: a throwaway cluster for tests on a small machine ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
include_if_exists = 'kizuna_port.conf'
# Many kizuna processes at once (ctest -j), each with a connection pool.
max_connections = 300
shared_buffers = 64MB
work_mem = 4MB
maintenance_work_mem = 32MB
max_wal_size = 1GB
checkpoint_timeout = 30min
jit = off
huge_pages = off
# Logs that help when a test fails.
log_min_messages = warning
log_min_error_statement = error
log_line_prefix = '%m [%p] %d '
log_lock_waits = on
deadlock_timeout = 500ms
EOF
  if [ "${PG_CLUSTER_DURABLE:-0}" = 1 ]; then
    # Benchmarks: a commit is on disk before it is acknowledged, as in production.
    cat >>"$data/postgresql.conf" <<EOF
shared_buffers = 1GB
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
  else
    cat >>"$data/postgresql.conf" <<EOF
# Durability is not wanted in tests.
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
EOF
  fi
  if [ "$as_root" = yes ]; then chown postgres: "$data/pg_hba.conf" "$data/postgresql.conf"; fi

  local port attempt started=no
  for attempt in $(seq "$START_ATTEMPTS"); do
    port=$(pick_port)
    echo "port = $port" >"$data/kizuna_port.conf"
    if [ "$as_root" = yes ]; then chown postgres: "$data/kizuna_port.conf"; fi
    : >"$log"
    if as_owner "$PG_BIN/pg_ctl" start -D "$data" -l "$log" -w -t 60 >/dev/null 2>&1; then
      started=yes
      break
    fi
    if grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets' "$log"; then
      say "port $port is taken (attempt $attempt of $START_ATTEMPTS); trying another"
      stop_cluster
      continue
    fi
    log_tail
    stop_cluster
    die "the server did not start (see $log)"
  done
  [ "$started" = yes ] || { log_tail; die "no free port after $START_ATTEMPTS attempts"; }

  local pg_isready="$PG_BIN/pg_isready" psql="$PG_BIN/psql"
  [ -x "$pg_isready" ] || pg_isready=pg_isready
  [ -x "$psql" ] || psql=psql
  local ready=no
  for _ in $(seq 300); do
    if "$pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 2; then
      ready=yes
      break
    fi
    sleep 0.1
  done
  if [ "$ready" != yes ]; then
    log_tail
    stop_cluster
    die "the server on port $port does not accept connections"
  fi
  local url="postgresql://postgres@127.0.0.1:$port/postgres"
  if ! out=$("$psql" -X -q -At -v ON_ERROR_STOP=1 -d "$url" -c 'SELECT 1' 2>&1) || [ "$out" != 1 ]; then
    echo "$out" >&2
    log_tail
    stop_cluster
    die "cannot connect to $url"
  fi
  echo "$url" >"$dir/url.tmp"
  mv "$dir/url.tmp" "$dir/url"
  say "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') ready at $url (data in $data)"
}

# pause/resume: the server stops and starts again on the same port and data (tests of a
# database that goes away while Kizuna runs).
pause_cluster() {
  local url
  url=$(cat "$dir/url" 2>/dev/null) || die "no cluster in $dir"
  stop_cluster
  echo "$url" >"$dir/url"
  say "paused (${dir})"
}

resume_cluster() {
  local root data
  root=$(cluster_root)
  data="$root/data"
  [ -d "$data" ] || die "no cluster data in $data"
  as_owner "$PG_BIN/pg_ctl" start -D "$data" -l "$root/server.log" -w -t 60 >/dev/null 2>&1 ||
    { log_tail; die "the server did not start again"; }
  say "resumed (${dir})"
}

case "$action" in
  start) start_cluster ;;
  pause) pause_cluster ;;
  resume) resume_cluster ;;
  stop)
    stop_cluster
    # Keep the log for a post-mortem; the data and socket go.
    if [ -d "$dir" ] && [ -f "$dir/$MARKER" ]; then
      root=$(cluster_root)
      rm -rf -- "$root/data" "$root/sock"
    fi
    say "stopped (${dir})"
    ;;
  *) usage ;;
esac
