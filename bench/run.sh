#!/usr/bin/env bash
# make bench: seeds a workspace, serves it, loads it with wrk and writes bench/RESULTS.md.
# The same scenarios run on embedded SQLite, then on PostgreSQL (a throwaway durable cluster,
# scripts/pg-cluster.sh, holding a copy of the same workspace) with one node and with two.
# Environment: BENCH_TICKETS (default 1000000), BENCH_SECONDS per run (10), BENCH_RUNS (3),
# BENCH_PORT (18990; the second PostgreSQL node takes the next port), BENCH_POSTGRESQL (1;
# 0 runs SQLite only).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
kizuna="$root/$build/src/server/kizuna"
seed="$root/$build/bench/kizuna-bench-seed"
tickets=${BENCH_TICKETS:-1000000}
seconds=${BENCH_SECONDS:-10}
runs=${BENCH_RUNS:-3}
port=${BENCH_PORT:-18990}
port2=$((port + 1))
postgresql=${BENCH_POSTGRESQL:-1}
for binary in "$kizuna" "$seed"; do
  [ -x "$binary" ] || { echo "bench: $binary is missing (make build first)" >&2; exit 1; }
done
# BENCH_DATA=DIR keeps the seeded data there and reuses it on the next run.
keep=${BENCH_DATA:-}
if [ -n "$keep" ]; then data=$keep; mkdir -p "$data"; else data=$(mktemp -d /tmp/kizuna-bench-XXXXXX); fi
raw="$data/raw.txt"
: >"$raw"
export KIZUNA_WRK_DIR="$here/wrk" KIZUNA_AUTH_PASSWORD_COST=minimum
servers=()
pg_dir=""
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$pg_dir" ]; then
    local pg_root
    pg_root=$(cat "$pg_dir/root" 2>/dev/null || true)
    bash "$root/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
    case "$pg_root" in /tmp/kizuna-pg.*) rm -rf -- "$pg_root" ;; esac
    rm -rf -- "$pg_dir"
  fi
  if [ -n "$keep" ]; then rm -f "$raw"; else rm -rf "$data"; fi
}
trap cleanup EXIT

# serve NAME PORT [VAR=VALUE…]: starts `kizuna serve` in the background and waits until it
# answers; its pid is $served (and in $servers for the cleanup).
served=""
serve() {
  local name=$1 listen_port=$2
  shift 2
  env "$@" "$kizuna" --data "$data" serve --listen "127.0.0.1:$listen_port" \
    >"$data/$name.out" 2>"$data/$name.log" &
  served=$!
  servers+=("$served")
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$listen_port/healthz" >/dev/null && return 0
    kill -0 "$served" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: the $name server did not start; last lines of $data/$name.log:" >&2
  tail -n 20 "$data/$name.log" >&2
  exit 1
}

stop() {  # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# scenario BACKEND NAME SCRIPT CONNECTIONS: runs wrk against the server on $port.
scenario() {
  local backend=$1 name=$2 script=$3 conns=$4
  for run in $(seq 1 "$runs"); do
    echo "bench: $backend $name run $run/$runs"
    echo "### $backend $name $run" >>"$raw"
    wrk -t"$(( conns < 2 ? conns : 2 ))" -c"$conns" -d"${seconds}s" --latency -s "$here/wrk/$script" \
      "http://127.0.0.1:$port" -- "$token" "$tickets" >>"$raw"
  done
}

# two_nodes NAME SCRIPT: one wrk per node at once (32 connections each); the report adds them up.
two_nodes() {
  local name=$1 script=$2
  for run in $(seq 1 "$runs"); do
    echo "bench: postgresql two nodes $name run $run/$runs"
    local out_a="$data/wrk-a.txt" out_b="$data/wrk-b.txt" pid_a pid_b
    wrk -t1 -c32 -d"${seconds}s" --latency -s "$here/wrk/$script" "http://127.0.0.1:$port" -- "$token" "$tickets" \
      >"$out_a" &
    pid_a=$!
    wrk -t1 -c32 -d"${seconds}s" --latency -s "$here/wrk/$script" "http://127.0.0.1:$port2" -- "$token" "$tickets" \
      >"$out_b" &
    pid_b=$!
    wait "$pid_a"
    wait "$pid_b"
    { echo "### postgresql2 $name $run a"; cat "$out_a"; echo "### postgresql2 $name $run b"; cat "$out_b"; } >>"$raw"
    rm -f "$out_a" "$out_b"
  done
}

# Every scenario, on whichever server listens on $port.
all_scenarios() {
  local backend=$1
  scenario "$backend" get_ticket get_ticket.lua 64
  scenario "$backend" list_team list_team.lua 64
  scenario "$backend" counts counts.lua 64
  scenario "$backend" list_team_1 list_team.lua 1
  scenario "$backend" counts_1 counts.lua 1
  scenario "$backend" create_ticket create_ticket.lua 64
}

seed_seconds="(reused)"
if [ ! -f "$data/kizuna.db" ]; then
  echo "bench: seeding $tickets tickets into $data"
  seed_start=$(date +%s.%N)
  "$seed" "$data" "$tickets" >/dev/null
  seed_seconds=$(python3 -c "import time;print(round(time.time()-$seed_start,1))")
else
  echo "bench: reusing the data in $data"
  "$kizuna" --data "$data" migrate >/dev/null
fi
# Created before the copy to PostgreSQL, so the copy holds it too (api_tokens is one of the
# workspace's tables): one token for both backends.
token=$("$kizuna" --data "$data" token create --workspace bench --agent agent0@bench.test --scopes admin)

# PostgreSQL gets the workspace as seeded, before the SQLite create runs add tickets: both
# backends start from the same data.
pg_url="" copy_seconds="" pg_settings=""
if [ "$postgresql" != 0 ]; then
  pg_dir=$(mktemp -d /tmp/kizuna-bench-pg-XXXXXX)
  PG_CLUSTER_DURABLE=1 bash "$root/scripts/pg-cluster.sh" start "$pg_dir"
  admin_url=$(cat "$pg_dir/url")
  psql -X -q -v ON_ERROR_STOP=1 -d "$admin_url" -c 'CREATE DATABASE bench'
  pg_url="${admin_url%/*}/bench"
  echo "bench: copying the workspace to PostgreSQL ($pg_url)"
  copy_start=$(date +%s.%N)
  "$kizuna" migrate-data --from "sqlite:$data/kizuna.db" --to "$pg_url" --workspace bench >"$data/migrate-data.out"
  copy_seconds=$(python3 -c "import time;print(round(time.time()-$copy_start,1))")
  tail -n 1 "$data/migrate-data.out"
  pg_settings=$(psql -X -At -F '=' -d "$pg_url" -c "SELECT name, current_setting(name) FROM unnest(ARRAY[
    'server_version_num', 'shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level',
    'max_connections', 'work_mem', 'max_wal_size', 'checkpoint_timeout', 'jit']) AS name" | paste -sd ' ' -)
  psql -X -q -d "$pg_url" -c 'VACUUM ANALYZE'
fi

serve sqlite "$port"
server=$served
rss_idle=$(rss "$server")
all_scenarios sqlite
rss_after=$(rss "$server")
stop "$server"

pg_rss_idle="" pg_rss_after="" pg_connections=""
if [ "$postgresql" != 0 ]; then
  serve postgresql "$port" KIZUNA_DATABASE_URL="$pg_url"
  server=$served
  pg_rss_idle=$(rss "$server")
  all_scenarios postgresql
  pg_rss_after=$(rss "$server")
  pg_connections=$(psql -X -At -d "$pg_url" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kizuna'")
  serve postgresql2 "$port2" KIZUNA_DATABASE_URL="$pg_url"
  server2=$served
  two_nodes get_ticket get_ticket.lua
  two_nodes create_ticket create_ticket.lua
  stop "$server2"
  stop "$server"
fi

BENCH_RAW="$raw" BENCH_OUT="$here/RESULTS.md" BENCH_TICKETS="$tickets" BENCH_SECONDS="$seconds" BENCH_RUNS="$runs" \
BENCH_RSS_IDLE="$rss_idle" BENCH_RSS_AFTER="$rss_after" BENCH_SEED_SECONDS="$seed_seconds" \
BENCH_PG="$postgresql" BENCH_PG_RSS_IDLE="$pg_rss_idle" BENCH_PG_RSS_AFTER="$pg_rss_after" \
BENCH_COPY_SECONDS="$copy_seconds" BENCH_PG_SETTINGS="$pg_settings" BENCH_PG_CONNECTIONS="$pg_connections" \
python3 - <<'PY'
import re, statistics, datetime, os
env = os.environ
raw, out = env["BENCH_RAW"], env["BENCH_OUT"]
tickets, seconds, runs = int(env["BENCH_TICKETS"]), env["BENCH_SECONDS"], env["BENCH_RUNS"]
pg_ran = env["BENCH_PG"] != "0"

# "### BACKEND NAME RUN [NODE]" heads each wrk output.
runs_by = {}
cur = None
for line in open(raw):
    m = re.match(r"### (\S+) (\S+) (\d+)(?: (\S+))?$", line.strip())
    if m:
        backend, name, run, node = m.groups()
        by_run = runs_by.setdefault((backend, name), {})
        cur = by_run.setdefault(int(run), {}).setdefault(node or "-", {})
        continue
    if cur is None: continue
    m = re.match(r"Requests/sec:\s+([\d.]+)", line.strip())
    if m: cur["rps"] = float(m.group(1))
    m = re.match(r"\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)", line)
    if m:
        cur["p" + m.group(1)] = float(m.group(2)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(3)]
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", line)
    if m: cur["errors"] = int(m.group(1))

def figures(backend, name):
    """Median over runs of: requests/s (summed over nodes), p99 (the worse node), and all non-2xx."""
    by_run = runs_by.get((backend, name))
    if not by_run: return None
    per_run = []
    for nodes in by_run.values():
        per_run.append({
            "rps": sum(n.get("rps", 0) for n in nodes.values()),
            "p99": max(n.get("p99", 0) for n in nodes.values()),
            "errors": sum(n.get("errors", 0) for n in nodes.values()),
        })
    return {
        "rps": statistics.median(r["rps"] for r in per_run),
        "p99": statistics.median(r["p99"] for r in per_run),
        "errors": sum(r["errors"] for r in per_run),
    }

def cells(f):
    return ["—", "—"] if f is None else [f"{f['rps']:,.0f}", f"{f['p99']:.2f}"]

scenarios = [
    # key, label, target on SQLite (issue #2), target on PostgreSQL (issue #3)
    ("get_ticket", "GET a ticket", ">= 30,000/s, p99 <= 10 ms", ">= 15,000/s"),
    ("list_team", "First page of a team's unsolved tickets, oldest update first", "p99 <= 20 ms", "—"),
    ("counts", "Counts of every inbox view together", "<= 20 ms", "—"),
    ("list_team_1", "The same page, one connection (latency without queueing)", "p99 <= 20 ms", "—"),
    ("counts_1", "Inbox counts, one connection", "<= 20 ms", "—"),
    ("create_ticket", "Create a ticket (acknowledged after a durable commit)", ">= 10,000/s", ">= 5,000/s"),
]
rows = []
for key, label, target_sqlite, target_pg in scenarios:
    s, p = figures("sqlite", key), figures("postgresql", key)
    errors = f"{s['errors'] if s else '—'} / {p['errors'] if p else '—'}"
    rows.append(f"| {label} | " + " | ".join(cells(s) + cells(p)) + f" | {errors} | {target_sqlite} | {target_pg} |")
for key, label in [("get_ticket", "GET a ticket, two nodes at once (2 × 32 connections, summed)"),
                   ("create_ticket", "Create a ticket, two nodes at once (2 × 32 connections, summed)")]:
    p = figures("postgresql2", key)
    errors = f"— / {p['errors'] if p else '—'}"
    rows.append(f"| {label} | " + " | ".join(["—", "—"] + cells(p)) + f" | {errors} | — | — |")

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
mib = lambda kib: f"{int(kib) / 1024:.0f} MiB"
text = f"""# Kizuna benchmark results

Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}); wrk, the server(s) and PostgreSQL share the machine.
Reproduce with `make bench` (here: `BENCH_TICKETS={tickets} BENCH_SECONDS={seconds} BENCH_RUNS={runs} make bench`).
Each figure is the median of {runs} runs of {seconds} s, 2 wrk threads, 64 connections unless the row says otherwise,
against one `kizuna serve` holding {tickets:,} tickets (10 teams, 50 agents, up to 100,000 customers, five years of
history): first on embedded SQLite (WAL, synchronous=FULL), then on PostgreSQL holding a copy of the same workspace
(`kizuna migrate-data`, taken before the SQLite create runs added tickets, so both start from the same data).
The two-node rows run two `kizuna serve` on the one PostgreSQL database, each loaded by its own wrk (1 thread,
32 connections) at the same time: requests/s is the sum of the two, p99 the worse of the two. On this machine
the two nodes, PostgreSQL and both wrk share the same cores, so these rows show that two nodes work together
under load, not how far more machines would scale.

| Scenario | SQLite req/s | SQLite p99 ms | PostgreSQL req/s | PostgreSQL p99 ms | non-2xx (SQLite / PG) | Target, SQLite (issue #2) | Target, PostgreSQL one node (issue #3) |
|---|---:|---:|---:|---:|---|---|---|
""" + "\n".join(rows) + f"""

Server memory (VmRSS) with {tickets:,} tickets on SQLite: {mib(env['BENCH_RSS_IDLE'])} after start,
{mib(env['BENCH_RSS_AFTER'])} after all runs (target <= 300 MB).
"""
if pg_ran:
    text += f"""On PostgreSQL, one node (default `[database]` settings, {env['BENCH_PG_CONNECTIONS']} connections open after its runs): {mib(env['BENCH_PG_RSS_IDLE'])} after start, {mib(env['BENCH_PG_RSS_AFTER'])} after its runs.
PostgreSQL: a throwaway cluster from `PG_CLUSTER_DURABLE=1 scripts/pg-cluster.sh start` (commits reach the disk
before they are acknowledged, as on SQLite), settings read back from the server:
`{env['BENCH_PG_SETTINGS']}`. Copying the workspace into it (`kizuna migrate-data`, one transaction, counts and
checksums verified) took {env['BENCH_COPY_SECONDS']} s; a `VACUUM ANALYZE` followed before the runs.
"""
else:
    text += "PostgreSQL was not run (BENCH_POSTGRESQL=0).\n"
text += (f"Seeding {tickets:,} tickets through the ticket service took {env['BENCH_SEED_SECONDS']} s.\n"
         if env["BENCH_SEED_SECONDS"] != "(reused)" else
         "The data was seeded by an earlier run (BENCH_DATA) and has grown by the tickets its SQLite create runs added.\n")
marker = "<!-- make bench rewrites everything above this line and keeps what follows -->"
kept = ""
if os.path.exists(out):
    previous = open(out).read()
    if marker in previous:
        kept = previous[previous.index(marker):]
open(out, "w").write(text + "\n" + (kept or marker + "\n"))
print(text)
PY
