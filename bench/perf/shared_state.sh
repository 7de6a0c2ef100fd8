#!/usr/bin/env bash
# Shared profile state (issue 17): two tailor-servers sharing one Redis against one server
# with the embedded state, measured in the same run on the same index, queries and events.
#   bench/perf/shared_state.sh SERVER INDEX IDS QUERIES WORK [DURATION]
# SERVER: the tailor-server binary; IDS: product ids, one per line; QUERIES: /search paths
# (bench/perf/queries.txt); WORK: a scratch directory; DURATION: of each wrk run (20s).
# Redis runs with appendonly yes and appendfsync always: a 202 means the events are in
# Redis' append-only file and fsync()ed, as a 202 of the embedded state means they are in
# its fsync()ed log. Each side: POST /events in batches of 100 for 100k visitors, then the
# personalized /search of bench/perf/personal_search.lua for those visitors. The embedded
# server gets wrk -t2 -c32; each Redis-backed server gets wrk -t1 -c16 at the same time, so
# the load is the same 32 connections. Prints a summary block; run from the repository root.
set -euo pipefail

SERVER="$1" INDEX="$2" IDS="$3" QUERIES="$4" WORK="$5" DURATION="${6:-20s}"
VISITORS=100000
log() { echo "shared-state: $*" >&2; }
die() { log "$*"; exit 1; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
command -v redis-server >/dev/null || die "redis-server is not installed (scripts/setup)"
mkdir -p "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --appendonly yes \
  --appendfsync always --save '' --logfile "$WORK/redis/redis.log" --daemonize no &
PIDS+=($!)
for ((i = 0; i < 100; i++)); do
  [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && break
  sleep 0.1
done
[[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] || die "redis-server did not start"

python3 - "$WORK/redis.json" "$REDIS_PORT" <<'PY'
import json, sys
config = json.load(open("config/server.json"))
config["state"]["backend"] = "redis"
config["state"]["redis"]["port"] = int(sys.argv[2])
config["state"]["redis"]["key_prefix"] = "bench:"
json.dump(config, open(sys.argv[1], "w"), indent=2)
PY

# start NAME CONFIG STATE: a server on a free port; leaves it in PORT_<NAME>.
start() {
  local name="$1" port
  port=$(free_port)
  "$SERVER" --config "$2" --scoring config/scoring.json --listen "127.0.0.1:$port" \
    --index "$INDEX" --state "$3" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for ((i = 0; i < 600; i++)); do
    grep -q "tailor-server listening on" "$WORK/$name.log" && break
    sleep 0.1
  done
  grep -q "tailor-server listening on" "$WORK/$name.log" || { cat "$WORK/$name.log" >&2; die "$name did not start"; }
  printf -v "PORT_$name" '%s' "$port"
}
# wrk_run NAME THREADS CONNECTIONS URL SCRIPT ARGS...: output in $WORK/NAME.wrk.
wrk_run() {
  local name="$1" threads="$2" connections="$3" url="$4" script="$5"
  shift 5
  timeout 120 wrk -t"$threads" -c"$connections" -d"$DURATION" --latency -s "$script" "$url" -- "$@" \
    >"$WORK/$name.wrk" 2>&1 || { cat "$WORK/$name.wrk" >&2; die "wrk $name failed"; }
  if grep -q "Non-2xx" "$WORK/$name.wrk"; then cat "$WORK/$name.wrk" >&2; die "$name: non-2xx answers"; fi
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$WORK/$1.wrk"; }
ms() {  # wrk's "1.23ms" / "850.00us" / "1.02s" at percentile $2 of run $1, in ms
  awk -v p="$2%" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
    printf "%.2f\n", v; exit }' "$WORK/$1.wrk"
}

log "embedded: one server, wrk -t2 -c32 -d$DURATION"
start embedded config/server.json "$WORK/state-embedded"
wrk_run emb_events 2 32 "http://127.0.0.1:$PORT_embedded" bench/perf/events.lua "$IDS" "$VISITORS"
wrk_run emb_search 2 32 "http://127.0.0.1:$PORT_embedded" bench/perf/personal_search.lua \
  "$QUERIES" "$VISITORS"
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'

log "redis: two servers sharing one Redis (appendfsync always), wrk -t1 -c16 -d$DURATION on each"
start r1 "$WORK/redis.json" "$WORK/state-r1"
start r2 "$WORK/redis.json" "$WORK/state-r2"
wrk_run r1_events 1 16 "http://127.0.0.1:$PORT_r1" bench/perf/events.lua "$IDS" "$VISITORS" &
w1=$!
wrk_run r2_events 1 16 "http://127.0.0.1:$PORT_r2" bench/perf/events.lua "$IDS" "$VISITORS" &
w2=$!
wait "$w1" "$w2"
# Each server's follower folds every server's events into its profiles, as the embedded
# server does while it takes them: the searches are measured once both have read the stream.
stream_length=$(redis-cli -p "$REDIS_PORT" XLEN bench:events)
for port in "$PORT_r1" "$PORT_r2"; do
  for ((i = 0; i < 1200; i++)); do
    followed=$(curl -s "http://127.0.0.1:$port/metrics" |
      awk '/^tailor_state_stream_entries_followed_total/ { printf "%d", $2 }')
    ((${followed:-0} >= stream_length)) && break
    sleep 0.1
  done
  log "server on $port followed ${followed:-0} of $stream_length stream entries"
done
wrk_run r1_search 1 16 "http://127.0.0.1:$PORT_r1" bench/perf/personal_search.lua "$QUERIES" "$VISITORS" &
w1=$!
wrk_run r2_search 1 16 "http://127.0.0.1:$PORT_r2" bench/perf/personal_search.lua "$QUERIES" "$VISITORS" &
w2=$!
wait "$w1" "$w2"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_r2/profiles/v1")" == 200 ]] ||
  die "server 2 has no profile of v1 after the events run"

python3 - "$WORK" <<'PY'
import re, sys
work = sys.argv[1]
def read(name):
    text = open(f"{work}/{name}.wrk").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        v = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)$", text, re.M)
        return float(v.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[v.group(2)]
    return rps, pct(50), pct(99)
e_ev, e_srch = read("emb_events"), read("emb_search")
r_ev = [read("r1_events"), read("r2_events")]
r_srch = [read("r1_search"), read("r2_search")]
r_ev_rate = sum(r[0] for r in r_ev) * 100
r_srch_rps = sum(r[0] for r in r_srch)
r_ev_p99 = max(r[2] for r in r_ev)
r_srch_p99 = max(r[2] for r in r_srch)
print("--- shared state: 2 servers + Redis (appendfsync always) vs 1 embedded server ---")
print(f"POST /events (batches of 100): embedded {e_ev[0]*100:,.0f} events/s p99 {e_ev[2]:.1f} ms; "
      f"redis {r_ev_rate:,.0f} events/s p99 {r_ev_p99:.1f} ms (servers {r_ev[0][2]:.1f} / {r_ev[1][2]:.1f}); "
      f"ratio redis/embedded {r_ev_rate / (e_ev[0]*100):.2f}")
print(f"personalized /search: embedded {e_srch[0]:,.0f} req/s p50 {e_srch[1]:.2f} p99 {e_srch[2]:.2f} ms; "
      f"redis {r_srch_rps:,.0f} req/s p99 {r_srch_p99:.2f} ms (servers {r_srch[0][2]:.2f} / {r_srch[1][2]:.2f}); "
      f"p99 ratio redis/embedded {r_srch_p99 / e_srch[2]:.2f}")
PY
