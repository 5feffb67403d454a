#!/usr/bin/env bash
# make bench: seeds a workspace, serves it, loads it with wrk and writes bench/RESULTS.md.
# Environment: BENCH_TICKETS (default 1000000), BENCH_SECONDS per run (10), BENCH_RUNS (3).
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
# BENCH_DATA=DIR keeps the seeded data there and reuses it on the next run.
keep=${BENCH_DATA:-}
if [ -n "$keep" ]; then data=$keep; mkdir -p "$data"; else data=$(mktemp -d /tmp/kizuna-bench-XXXXXX); fi
raw="$data/raw.txt"
export KIZUNA_WRK_DIR="$here/wrk" KIZUNA_AUTH_PASSWORD_COST=minimum
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  wait 2>/dev/null || true
  if [ -n "$keep" ]; then rm -f "$raw"; else rm -rf "$data"; fi
}
trap cleanup EXIT

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
token=$("$kizuna" --data "$data" token create --workspace bench --agent agent0@bench.test --scopes admin)

"$kizuna" --data "$data" serve --listen "127.0.0.1:$port" >"$data/server.out" 2>"$data/server.log" &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")

scenario() {  # name script connections
  local name=$1 script=$2 conns=$3
  for run in $(seq 1 "$runs"); do
    echo "bench: $name run $run/$runs"
    echo "### $name $run" >>"$raw"
    wrk -t"$(( conns < 2 ? conns : 2 ))" -c"$conns" -d"${seconds}s" --latency -s "$here/wrk/$script" "http://127.0.0.1:$port" -- "$token" "$tickets" >>"$raw"
  done
}
scenario get_ticket get_ticket.lua 64
scenario list_team list_team.lua 64
scenario counts counts.lua 64
scenario list_team_1 list_team.lua 1
scenario counts_1 counts.lua 1
scenario create_ticket create_ticket.lua 64
rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")

python3 - "$raw" "$here/RESULTS.md" "$tickets" "$seconds" "$runs" "$rss_idle" "$rss_after" "$seed_seconds" <<'PY'
import re, statistics, sys, datetime, platform, os
raw, out, tickets, seconds, runs, rss_idle, rss_after, seed_seconds = sys.argv[1:]
runs_by = {}
name = None
for line in open(raw):
    m = re.match(r"### (\S+) (\d+)", line)
    if m:
        name = m.group(1); runs_by.setdefault(name, []).append({}); continue
    cur = runs_by[name][-1] if name else None
    if cur is None: continue
    m = re.match(r"Requests/sec:\s+([\d.]+)", line.strip())
    if m: cur["rps"] = float(m.group(1))
    m = re.match(r"\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)", line)
    if m:
        v = float(m.group(2)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(3)]
        cur["p" + m.group(1)] = v
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", line)
    if m: cur["errors"] = int(m.group(1))
targets = {
    "get_ticket": ("GET a ticket", ">= 30,000/s, p99 <= 10 ms"),
    "list_team": ("First page of a team's unsolved tickets, oldest update first", "p99 <= 20 ms"),
    "counts": ("Counts of every inbox view together", "<= 20 ms"),
    "list_team_1": ("The same page, one connection (latency without queueing)", "p99 <= 20 ms"),
    "counts_1": ("Inbox counts, one connection", "<= 20 ms"),
    "create_ticket": ("Create a ticket (acknowledged after a durable commit)", ">= 10,000/s"),
}
rows = []
for key, (label, target) in targets.items():
    rs = runs_by.get(key, [])
    med = lambda f: statistics.median([r.get(f, 0) for r in rs]) if rs else 0
    errors = sum(r.get("errors", 0) for r in rs)
    rows.append(f"| {label} | {med('rps'):,.0f} | {med('p50'):.2f} | {med('p99'):.2f} | {errors} | {target} |")
cpu = next((l.split(":",1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
text = f"""# Kizuna benchmark results

Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}), wrk and the server sharing the machine.
Reproduce with `make bench` (here: `BENCH_TICKETS={tickets} BENCH_SECONDS={seconds} BENCH_RUNS={runs} make bench`).
Each figure is the median of {runs} runs of {seconds} s, 2 wrk threads, 64 connections unless the row says one, against one
`kizuna serve` on embedded SQLite (WAL, synchronous=FULL) holding {int(tickets):,} tickets
(10 teams, 50 agents, up to 100,000 customers, five years of history).

| Scenario | Requests/s | p50 ms | p99 ms | non-2xx | Target (issue #2) |
|---|---:|---:|---:|---:|---|
""" + "\n".join(rows) + f"""

Server memory (VmRSS) with {int(tickets):,} tickets: {int(rss_idle)/1024:.0f} MiB after start,
{int(rss_after)/1024:.0f} MiB after all runs (target <= 300 MB).
""" + (f"Seeding {int(tickets):,} tickets through the ticket service took {seed_seconds} s.\n"
       if seed_seconds != "(reused)" else
       "The data was seeded by an earlier run (BENCH_DATA) and has grown by the tickets its create runs added.\n")
marker = "<!-- make bench rewrites everything above this line and keeps what follows -->"
kept = ""
if os.path.exists(out):
    previous = open(out).read()
    if marker in previous:
        kept = previous[previous.index(marker):]
open(out, "w").write(text + "\n" + (kept or marker + "\n"))
print(text)
PY
