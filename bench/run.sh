#!/usr/bin/env bash
# Benchmarks fairhall's realtime layer and API on this machine, beside soketi and socket.io.
#
#   bench/run.sh                       # everything, RUNS=3 times each, medians printed
#   ONLY=fanout,latency RUNS=1 bench/run.sh
#   TARGETS=fairhall BACKENDS=sqlite ONLY=connections CONN_SIZES="10000" bench/run.sh
#
# It builds the release binaries (fairhall, fairhall-load), installs the peers under
# target/bench-peers (soketi 1.6.1 and socket.io 4.8, never committed), seeds fairhall
# (`fairhall seed`) in a temporary SQLite data dir and, for the multi-node runs, in a fresh
# PostgreSQL database with Redis as the bus, starts every server on 127.0.0.1 with
# `ulimit -n 20000`, runs the workloads of fairhall-load, prints medians and writes every raw
# JSON result to target/bench-results/<time>/. Every process, database and Redis key it made is
# removed on exit.
#
# Selection (environment):
#   ONLY       comma list of: connections fanout latency fair wrk login   (default: all)
#   TARGETS    comma list of: fairhall soketi socketio                    (default: all)
#   BACKENDS   comma list of: sqlite postgres (fairhall; postgres = PostgreSQL + Redis, 2-3 nodes)
#   RUNS       repetitions of each measurement (default 3)
#   CONN_SIZES idle connections per run (default "10000 19000"; one server process holds < 19 900)
#   FANOUT_SIZES subscribers (default "10000 50000"; above 19 000 fairhall runs 3 nodes on
#              PostgreSQL + Redis, soketi 3 nodes on its Redis adapter, socket.io 3 processes on
#              its Redis adapter)
#   MULTI_NODE_ABOVE  fan-out sizes above this use 3 nodes (default 19000)
#   LAT_RATE, LAT_SECS       latency workload (default 200 messages/s for 30 s)
#   FAIR_STUDENTS, FAIR_EMPLOYERS, FAIR_SECS   the simulated fair (default 2000, 50, 60)
#   SEED_STUDENTS, SEED_EMPLOYERS              seed size (default 50000, 1000)
#   WRK_SECS   duration of each wrk run (default 15)
#   WRK_CONNS  connections of the list and talent-hall runs, a space list (default "64 16")
#   WRK_WARMUP seconds of unmeasured requests before each server's first list run, so the
#              node's read cache is warm as on a server that has been up (default 3; 0: none)
#   PG_URL     PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
#   REDIS_URL  Redis (default redis://127.0.0.1:6379)
#   BUILD=0    reuse the release binaries already in $CARGO_TARGET_DIR (or target/)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${RUNS:-3}
ONLY=${ONLY:-connections,fanout,latency,fair,wrk,login}
TARGETS=${TARGETS:-fairhall,soketi,socketio}
BACKENDS=${BACKENDS:-sqlite,postgres}
CONN_SIZES=${CONN_SIZES:-"10000 19000"}
FANOUT_SIZES=${FANOUT_SIZES:-"10000 50000"}
MULTI_NODE_ABOVE=${MULTI_NODE_ABOVE:-19000}
LAT_RATE=${LAT_RATE:-200}
LAT_SECS=${LAT_SECS:-30}
FAIR_STUDENTS=${FAIR_STUDENTS:-2000}
FAIR_EMPLOYERS=${FAIR_EMPLOYERS:-50}
FAIR_SECS=${FAIR_SECS:-60}
SEED_STUDENTS=${SEED_STUDENTS:-50000}
SEED_EMPLOYERS=${SEED_EMPLOYERS:-1000}
WRK_SECS=${WRK_SECS:-15}
WRK_CONNS=${WRK_CONNS:-"64 16"}
WRK_WARMUP=${WRK_WARMUP:-3}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# The password `fairhall seed` gives the employer accounts it creates.
SEED_PASSWORD=${SEED_PASSWORD:-fairhall-load-1}

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=$ROOT/target/bench-results/$STAMP
PEERS=$ROOT/target/bench-peers
WORK=$(mktemp -d /tmp/fairhall-bench.XXXXXX)
FAIRHALL=$TARGET_DIR/release/fairhall
LOAD=$TARGET_DIR/release/fairhall-load
SOKETI_APP_ID=fairhall-bench
SOKETI_KEY=fairhall-bench-key
SOKETI_SECRET=fairhall-bench-secret
RUN_TAG="b$$"
REDIS_PREFIX="fairhall-bench-$RUN_TAG"
PG_DB="fairhall_bench_$RUN_TAG"
PG_CREATED=""
mkdir -p "$RESULTS"

# ---------------------------------------------------------------------------------------------
# Bookkeeping and clean-up

STARTED_PIDS=()
say() { printf '%s\n' "$*" | tee -a "$RESULTS/summary.txt" >&2; }
has() { [[ ",$1," == *",$2,"* ]]; }
want() { has "$ONLY" "$1"; }
want_target() { has "$TARGETS" "$1"; }
want_backend() { has "$BACKENDS" "$1"; }

stop_pid() {
  local pid=$1
  if kill -0 "$pid" 2>/dev/null; then
    # soketi ignores SIGTERM after a run; every server here is stopped with SIGKILL, which is
    # harmless for a benchmark's throw-away data.
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

stop_all() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    stop_pid "$pid"
  done
  STARTED_PIDS=()
}

cleanup() {
  set +e
  stop_all
  if [[ -n "$PG_CREATED" ]]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
  fi
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$REDIS_URL" --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null |
      xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1
    redis-cli -u "$REDIS_URL" --scan --pattern "soketi-${RUN_TAG}*" 2>/dev/null |
      xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until http://127.0.0.1:$1$2 answers (any status), for at most $3 seconds.
wait_http() {
  local port=$1 path=$2 secs=${3:-60} i
  for ((i = 0; i < secs * 10; i++)); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port$path"; then
      return 0
    fi
    sleep 0.1
  done
  echo "nothing answered on 127.0.0.1:$port within $secs s" >&2
  return 1
}

# A TCP port nobody listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---------------------------------------------------------------------------------------------
# Build and install

build() {
  if [[ ${BUILD:-1} != 0 ]]; then
    say "== building release binaries"
    cargo build --release -p fairhall -p fairhall-load
  fi
  if want wrk || want login; then
    if ! command -v wrk >/dev/null; then
      say "== installing wrk"
      apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    fi
  fi
}

install_peers() {
  if ! want_target soketi && ! want_target socketio; then
    return
  fi
  mkdir -p "$PEERS"
  cat >"$PEERS/package.json" <<'EOF'
{
  "name": "fairhall-bench-peers",
  "private": true,
  "description": "Peers for fairhall's realtime benchmark; generated by bench/run.sh",
  "dependencies": {
    "@soketi/soketi": "1.6.1",
    "socket.io": "~4.8.0",
    "@socket.io/redis-adapter": "^8.3.0",
    "redis": "^4.7.0"
  },
  "overrides": {
    "uWebSockets.js": "npm:@trufflesuite/uws-js-unofficial@20.30.0-unofficial.0"
  }
}
EOF
  cat >"$PEERS/socketio-server.js" <<'EOF'
// socket.io peer for fairhall's benchmark (generated by bench/run.sh): websocket transport
// only; every connection joins room "fair-1"; POST /broadcast emits the request body to the
// room as event "announcement". With REDIS_URL set, rooms span processes (Redis adapter).
const http = require("http");
const { Server } = require("socket.io");
const port = Number(process.env.PORT || 3001);
const server = http.createServer((req, res) => {
  if (req.method === "POST" && req.url === "/broadcast") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      io.to("fair-1").emit("announcement", { text: body });
      res.writeHead(204);
      res.end();
    });
    return;
  }
  res.writeHead(404);
  res.end();
});
const io = new Server(server, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => socket.join("fair-1"));
async function main() {
  if (process.env.REDIS_URL) {
    const { createClient } = require("redis");
    const { createAdapter } = require("@socket.io/redis-adapter");
    const pub = createClient({ url: process.env.REDIS_URL });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: process.env.REDIS_KEY || "socket.io" }));
  }
  server.listen(port, "127.0.0.1", () => console.log(`socket.io peer on 127.0.0.1:${port}`));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
EOF
  if [[ ! -x "$PEERS/node_modules/.bin/soketi" || ! -d "$PEERS/node_modules/@socket.io/redis-adapter" ]]; then
    say "== installing soketi and socket.io into $PEERS"
    (cd "$PEERS" && npm install --no-audit --no-fund --loglevel=error)
  fi
}

# ---------------------------------------------------------------------------------------------
# Servers. Each start_* sets LAST_PID; the port is the first argument.

FAIRHALL_ENV=(
  FAIRHALL_LOG=warn
  FAIRHALL_SESSION_IDLE_SECS=86400
  FAIRHALL_SESSION_ABSOLUTE_SECS=86400
  # The sign-in benchmark measures the server, not its brute-force limiter.
  FAIRHALL_LOGIN_PER_ACCOUNT_PER_MINUTE=1000000
  FAIRHALL_LOGIN_PER_IP_PER_MINUTE=1000000
)

# start_fairhall PORT DATA_DIR [postgres]
start_fairhall() {
  local port=$1 dir=$2 backend=${3:-sqlite} extra=()
  if [[ "$backend" == postgres ]]; then
    extra=(FAIRHALL_DATABASE_URL="$PG_URL/$PG_DB" FAIRHALL_REDIS_URL="$REDIS_URL"
      FAIRHALL_REDIS_PREFIX="$REDIS_PREFIX" FAIRHALL_NODE_NAME="bench-$port")
  fi
  (
    ulimit -n 20000
    exec env "${FAIRHALL_ENV[@]}" "${extra[@]}" FAIRHALL_BIND="127.0.0.1:$port" \
      FAIRHALL_DATA_DIR="$dir" "$FAIRHALL" serve
  ) >>"$WORK/fairhall-$port.log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  wait_http "$port" /healthz 120 || { tail -20 "$WORK/fairhall-$port.log" >&2; return 1; }
  LAST_PID=$pid
}

# start_soketi PORT [redis]
start_soketi() {
  local port=$1 mode=${2:-local} extra=()
  if [[ "$mode" == redis ]]; then
    local hostport=${REDIS_URL#redis://}
    extra=(SOKETI_ADAPTER_DRIVER=redis SOKETI_ADAPTER_REDIS_PREFIX="soketi-$RUN_TAG"
      SOKETI_DB_REDIS_HOST="${hostport%%:*}" SOKETI_DB_REDIS_PORT="${hostport##*:}")
  fi
  (
    ulimit -n 20000
    cd "$PEERS"
    exec env SOKETI_HOST=127.0.0.1 SOKETI_PORT="$port" \
      SOKETI_METRICS_HOST=127.0.0.1 SOKETI_METRICS_SERVER_PORT="$(free_port)" \
      SOKETI_CLUSTER_HOST=127.0.0.1 SOKETI_CLUSTER_BROADCAST_ADDRESS=127.0.0.1 \
      SOKETI_CLUSTER_PORT="$(free_port)" \
      SOKETI_DEFAULT_APP_ID=$SOKETI_APP_ID SOKETI_DEFAULT_APP_KEY=$SOKETI_KEY \
      SOKETI_DEFAULT_APP_SECRET=$SOKETI_SECRET SOKETI_DEFAULT_APP_MAX_CONNS=1000000 \
      SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC=-1 SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC=-1 \
      SOKETI_DEFAULT_APP_MAX_READ_REQ_PER_SEC=-1 "${extra[@]}" \
      node node_modules/@soketi/soketi/bin/server.js start
  ) >>"$WORK/soketi-$port.log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  wait_http "$port" / 60 || { tail -20 "$WORK/soketi-$port.log" >&2; return 1; }
  LAST_PID=$pid
}

# start_socketio PORT [redis]
start_socketio() {
  local port=$1 mode=${2:-local} extra=()
  if [[ "$mode" == redis ]]; then
    extra=(REDIS_URL="$REDIS_URL" REDIS_KEY="socket.io-$RUN_TAG")
  fi
  (
    ulimit -n 20000
    cd "$PEERS"
    exec env PORT="$port" "${extra[@]}" node socketio-server.js
  ) >>"$WORK/socketio-$port.log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  wait_http "$port" /broadcast 60 || { tail -20 "$WORK/socketio-$port.log" >&2; return 1; }
  LAST_PID=$pid
}

# start_nodes TARGET COUNT BACKEND → sets NODE_ARGS (--url/--server-pid pairs) and NODE_PORTS
start_nodes() {
  local target=$1 count=$2 backend=$3 i port mode=local
  NODE_ARGS=()
  NODE_PORTS=()
  [[ $count -gt 1 ]] && mode=redis
  for ((i = 0; i < count; i++)); do
    port=$(free_port)
    case $target in
      fairhall)
        if [[ "$backend" == postgres ]]; then
          start_fairhall "$port" "$WORK/pg-data" postgres
        else
          start_fairhall "$port" "$WORK/sqlite-data"
        fi
        ;;
      soketi) start_soketi "$port" "$mode" ;;
      socketio) start_socketio "$port" "$mode" ;;
    esac
    NODE_ARGS+=(--url "http://127.0.0.1:$port" --server-pid "$LAST_PID")
    NODE_PORTS+=("$port")
  done
}

# ---------------------------------------------------------------------------------------------
# Seeds

SEED_SQLITE=$WORK/seed-sqlite.jsonl
SEED_PG=$WORK/seed-postgres.jsonl

seed_sqlite() {
  [[ -s "$SEED_SQLITE" ]] && return
  say "== seeding SQLite: $SEED_EMPLOYERS employers, $SEED_STUDENTS students"
  mkdir -p "$WORK/sqlite-data"
  env "${FAIRHALL_ENV[@]}" FAIRHALL_DATA_DIR="$WORK/sqlite-data" "$FAIRHALL" seed \
    --employers "$SEED_EMPLOYERS" --students "$SEED_STUDENTS" --out "$SEED_SQLITE" \
    >"$WORK/seed-sqlite.log" 2>&1 || { tail -20 "$WORK/seed-sqlite.log" >&2; return 1; }
}

seed_postgres() {
  [[ -s "$SEED_PG" ]] && return
  say "== seeding PostgreSQL ($PG_DB): $SEED_EMPLOYERS employers, $SEED_STUDENTS students"
  psql "$PG_URL/postgres" -qc "CREATE DATABASE $PG_DB" >/dev/null
  PG_CREATED=1
  mkdir -p "$WORK/pg-data"
  env "${FAIRHALL_ENV[@]}" FAIRHALL_DATA_DIR="$WORK/pg-data" FAIRHALL_DATABASE_URL="$PG_URL/$PG_DB" \
    "$FAIRHALL" seed --employers "$SEED_EMPLOYERS" --students "$SEED_STUDENTS" --out "$SEED_PG" \
    >"$WORK/seed-postgres.log" 2>&1 || { tail -20 "$WORK/seed-postgres.log" >&2; return 1; }
}

# use_seed TARGET BACKEND: seeds fairhall if needed and sets SEED_ARGS (--seed FILE) and
# SEED_FILE; empty for the peers.
use_seed() {
  SEED_ARGS=()
  SEED_FILE=""
  [[ $1 == fairhall ]] || return 0
  if [[ $2 == postgres ]]; then
    seed_postgres
    SEED_FILE=$SEED_PG
  else
    seed_sqlite
    SEED_FILE=$SEED_SQLITE
  fi
  SEED_ARGS=(--seed "$SEED_FILE")
}

# ---------------------------------------------------------------------------------------------
# Running fairhall-load and summarising

# load NAME RUN ARGS... : one run, JSON kept in $RESULTS/NAME-RUN.json
SRC_NEXT=2
load() {
  local name=$1 run=$2
  shift 2
  local out="$RESULTS/$name-$run.json" first=$SRC_NEXT
  say "-- $name (run $run/$RUNS)"
  # Each run connects from fresh 127.0.0.x source addresses (up to 8 of them, 10 000
  # connections each), so nothing a previous run left behind can get in its way.
  SRC_NEXT=$((SRC_NEXT + 8))
  if ((SRC_NEXT > 240)); then SRC_NEXT=2; fi
  if (ulimit -n 20000 && "$LOAD" --json --first-source "$first" "$@" >"$out" \
    2> >(tee -a "$RESULTS/summary.txt" >&2)); then
    return 0
  fi
  say "!! $name run $run failed (see above)"
  rm -f "$out"
  return 0
}

# median_of NAME FIELD [FIELD…]: the median over runs of each (jq path) field
median_of() {
  local name=$1 field
  shift
  local files=("$RESULTS/$name"-*.json)
  [[ -e "${files[0]}" ]] || { say "   $name: no result"; return; }
  local line="   median of ${#files[@]} run(s) $name:"
  for field in "$@"; do
    local m
    m=$(jq -s "[.[] | $field | select(. != null)] | sort | if length == 0 then null
          elif length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end
          | if type == \"number\" then (. * 100 | round / 100) else . end" "${files[@]}")
    line+=" ${field#.}=$m"
  done
  say "$line"
}

nodes_for() { # nodes needed for N connections to one installation
  local n=$1
  if ((n > MULTI_NODE_ABOVE)); then echo 3; else echo 1; fi
}

# ---------------------------------------------------------------------------------------------
# Workloads

run_connections() {
  local target backend=sqlite n run
  want_backend sqlite || backend=postgres
  for target in fairhall soketi socketio; do
    want_target "$target" || continue
    use_seed "$target" "$backend"
    for n in $CONN_SIZES; do
      for ((run = 1; run <= RUNS; run++)); do
        # A fresh server each time: the memory reading starts from an idle process.
        start_nodes "$target" 1 "$backend"
        load "connections-$target-$n" "$run" --target "$target" "${NODE_ARGS[@]}" "${SEED_ARGS[@]}" \
          connections --n "$n"
        stop_all
      done
      median_of "connections-$target-$n" .server_kib_per_connection .connect_rate_per_sec \
        .connected .server_cpu_secs .client_cpu_secs
    done
  done
}

run_fanout() {
  local target n run nodes backend
  for target in fairhall soketi socketio; do
    want_target "$target" || continue
    for n in $FANOUT_SIZES; do
      nodes=$(nodes_for "$n")
      backend=sqlite
      if ((nodes > 1)); then
        backend=postgres
        if [[ $target == fairhall ]] && ! want_backend postgres; then
          say "   fanout $n on fairhall needs BACKENDS to include postgres (3 nodes); skipped"
          continue
        fi
      elif [[ $target == fairhall ]] && ! want_backend sqlite; then
        backend=postgres
      fi
      use_seed "$target" "$backend"
      start_nodes "$target" "$nodes" "$backend"
      for ((run = 1; run <= RUNS; run++)); do
        load "fanout-$target-$n" "$run" --target "$target" "${NODE_ARGS[@]}" "${SEED_ARGS[@]}" \
          fanout --n "$n" --broadcasts 10
      done
      stop_all
      median_of "fanout-$target-$n" .median_p50_ms .median_p99_ms .median_max_ms \
        .median_received .connected .cold.p50_ms .server_cpu_secs .client_cpu_secs
    done
  done
}

run_latency() {
  local target run backend nodes
  for target in fairhall soketi socketio; do
    want_target "$target" || continue
    for backend in sqlite postgres; do
      if [[ $target == fairhall ]]; then
        want_backend "$backend" || continue
        nodes=1
        # On PostgreSQL + Redis: POSTs to one node, receivers on another, through Redis.
        [[ $backend == postgres ]] && nodes=2
      else
        [[ $backend == sqlite ]] || continue
        nodes=1
      fi
      use_seed "$target" "$backend"
      start_nodes "$target" "$nodes" "$backend"
      local name="latency-$target"
      [[ $target == fairhall ]] && name+="-$backend"
      for ((run = 1; run <= RUNS; run++)); do
        load "$name" "$run" --target "$target" "${NODE_ARGS[@]}" "${SEED_ARGS[@]}" \
          latency --rate "$LAT_RATE" --duration "$LAT_SECS"
      done
      stop_all
      median_of "$name" .latency.p50_ms .latency.p95_ms .latency.p99_ms .latency.max_ms \
        .received .expected .server_cpu_secs .client_cpu_secs
    done
  done
}

run_fair() {
  want_target fairhall || return 0
  local backend run nodes
  for backend in sqlite postgres; do
    want_backend "$backend" || continue
    nodes=1
    [[ $backend == postgres ]] && nodes=2
    use_seed fairhall "$backend"
    for ((run = 1; run <= RUNS; run++)); do
      # A fresh database state matters less than a fresh process here; tickets pile up
      # across runs, which is what a fair does too.
      start_nodes fairhall "$nodes" "$backend"
      load "fair-$backend" "$run" --target fairhall "${NODE_ARGS[@]}" "${SEED_ARGS[@]}" \
        fair --students "$FAIR_STUDENTS" --employers "$FAIR_EMPLOYERS" --duration "$FAIR_SECS"
      stop_all
    done
    local op
    for op in "list employers" "employer detail" "apply" "accept" "start call" "answer call" \
      "call connected" "signal round trip" "student chat" "chat delivered to employer" "end call"; do
      median_of "fair-$backend" ".operations[\"$op\"].per_sec" ".operations[\"$op\"].latency.p50_ms" \
        ".operations[\"$op\"].latency.p99_ms"
    done
    median_of "fair-$backend" .server_rss_end_kib .server_cpu_secs .client_cpu_secs
  done
}

# wrk_lua FILE KIND SEED: a wrk script cycling over many sessions (cookies) and paths: the
# students' employer list (API, pages 1-20) or the employers' talent hall (求职者大厅; the HTML
# page, as an employer opens it; pages 1-50)
wrk_lua() {
  local file=$1 kind=$2 seed=$3
  {
    echo "-- generated by bench/run.sh"
    echo "local items = {"
    case $kind in
      employers)
        jq -r --slurp '(.[] | select(.kind == "fair") | .fair_id) as $f
          | [.[] | select(.kind == "student")][:2000][]
          | "{\"fairhall_session=\(.cookie)\", \"/api/v1/fairs/\($f)/employers?page=\(.user_id % 20 + 1)\"},"' "$seed"
        ;;
      talents)
        jq -r --slurp '[.[] | select(.kind == "employer")][:500][]
          | "{\"fairhall_session=\(.cookie)\", \"/employer/registrations/\(.registration_id)/talents?page=\(.user_id % 50 + 1)\"},"' "$seed"
        ;;
    esac
    echo "}"
    cat <<'EOF'
local i = 0
request = function()
  i = i % #items + 1
  return wrk.format("GET", items[i][2], { ["Cookie"] = items[i][1] })
end
EOF
  } >"$file"
}

# wrk_login_lua FILE SEED PORT: sign-ins cycling over the seeded employer accounts
wrk_login_lua() {
  local file=$1 seed=$2 port=$3
  {
    echo "-- generated by bench/run.sh"
    echo "local emails = {"
    jq -r 'select(.kind == "employer") | select(.email != null) | "\"\(.email)\","' "$seed" | head -1000
    echo "}"
    cat <<EOF
local i = 0
request = function()
  i = i % #emails + 1
  local body = '{"email":"' .. emails[i] .. '","password":"$SEED_PASSWORD"}'
  return wrk.format("POST", "/api/v1/auth/login",
    { ["Content-Type"] = "application/json", ["Origin"] = "http://127.0.0.1:$port" }, body)
end
EOF
  } >"$file"
}

# run_wrk NAME PORT LUA CONNECTIONS: RUNS runs, requests/s and latency kept in NAME-RUN.json
run_wrk() {
  local name=$1 port=$2 lua=$3 conns=$4 run
  for ((run = 1; run <= RUNS; run++)); do
    say "-- $name (run $run/$RUNS)"
    local txt="$RESULTS/$name-$run.txt"
    wrk -t2 -c"$conns" -d"${WRK_SECS}s" --latency -s "$lua" "http://127.0.0.1:$port" >"$txt" 2>&1 || true
    python3 - "$txt" "$RESULTS/$name-$run.json" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
out = {"requests_per_sec": None, "latency": {}, "non_2xx": 0, "errors": 0}
m = re.search(r"Requests/sec:\s+([\d.]+)", text)
if m: out["requests_per_sec"] = float(m.group(1))
for p in ("50", "90", "99"):
    m = re.search(rf"^\s+{p}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if m: out["latency"][f"p{p}_ms"] = ms(*m.groups())
m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
if m: out["non_2xx"] = int(m.group(1))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
if m: out["errors"] = sum(int(x) for x in m.groups())
json.dump(out, open(sys.argv[2], "w"))
EOF
    say "   $(jq -c . "$RESULTS/$name-$run.json")"
  done
  median_of "$name" .requests_per_sec .latency.p50_ms .latency.p99_ms .non_2xx .errors
}

run_http() {
  want_target fairhall || return 0
  local backend seed
  for backend in sqlite postgres; do
    want_backend "$backend" || continue
    use_seed fairhall "$backend"
    seed=$SEED_FILE
    start_nodes fairhall 1 "$backend"
    local port=${NODE_PORTS[0]}
    if want wrk; then
      local kind conns
      for kind in employers talents; do
        wrk_lua "$WORK/$kind.lua" "$kind" "$seed"
        if ((WRK_WARMUP > 0)); then
          say "-- warming up: $kind, ${WRK_WARMUP}s unmeasured"
          wrk -t2 -c64 -d"${WRK_WARMUP}s" -s "$WORK/$kind.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
        fi
        for conns in $WRK_CONNS; do
          run_wrk "wrk-$kind-$backend-c$conns" "$port" "$WORK/$kind.lua" "$conns"
        done
      done
    fi
    if want login; then
      wrk_login_lua "$WORK/login.lua" "$seed" "$port"
      if [[ $(jq -r 'select(.kind == "employer") | .email // empty' "$seed" | head -1) ]]; then
        run_wrk "wrk-login-$backend" "$port" "$WORK/login.lua" 16
      else
        say "   login: the seed file has no employer e-mails; skipped"
      fi
    fi
    stop_all
  done
}

# ---------------------------------------------------------------------------------------------

say "fairhall benchmark $STAMP: ONLY=$ONLY TARGETS=$TARGETS BACKENDS=$BACKENDS RUNS=$RUNS"
say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), open files $(ulimit -Hn)"
build
install_peers
want connections && run_connections
want fanout && run_fanout
want latency && run_latency
want fair && run_fair
{ want wrk || want login; } && run_http
say "== done; raw results in $RESULTS"
