#!/bin/sh
# bench/run.sh: the benchmarks (`make bench [QUICK=1]` builds what they need
# and runs this). Starts its own servers on 127.0.0.1 (build/bench-server and
# a real nginx with ngx_lua), runs every column of every workload, round
# after round in a rotating order (so that a slow moment of the machine
# spreads over all columns), and prints the table of bench/report.lua.
#
#   QUICK=1               one short round (CI checks that it completes)
#   BENCH_ROUNDS=N        rounds (default 5)
#   BENCH_SECONDS=S       timed seconds per measurement (default 1)
#   BENCH_MAX=N           cycles per measurement at most (default 10000000)
#   BENCH_LUAS="..."      interpreters of the native columns (default: those
#                         of luajit lua5.1 lua5.4 that are in LUAS)
#   BENCH_PIN=split|same|off
#                         split (default, with 2 CPUs and taskset): clients
#                         on one CPU, bench-server on another; same: all on
#                         one CPU; off: no pinning
#   BENCH_WORKLOADS="..." workloads to run (default: all of them, below)
#   KEEP=1                keep the temporary directory (nginx logs, results)
#
# Workloads (one script each, bench/<name>.lua, see bench/harness.lua):
#   w5_pool   connect + request + receive, then setkeepalive or close
#
# Needs: build/bench-server, build/<interp>/resty/luasocket/native.so for
# each interpreter, nginx with ndk_http_module and ngx_http_lua_module,
# curl, timeout; build/bench-server and build/bench-client (make bench).

# Lists (interpreters, columns, CPUs, pinning commands) are split on
# spaces on purpose, and never globbed (set -f):
# shellcheck disable=SC2086
set -euf

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

modules=${NGX_MODULES:-/usr/lib/nginx/modules}
nginx_bin=${NGINX:-nginx}
if [ "${QUICK:-}" = 1 ]; then
  rounds=1
  seconds=${BENCH_SECONDS:-0.2}
else
  rounds=${BENCH_ROUNDS:-5}
  seconds=${BENCH_SECONDS:-1}
fi
max=${BENCH_MAX:-10000000}
pin=${BENCH_PIN:-split}
workloads=${BENCH_WORKLOADS:-w5_pool}

die() {
  echo "bench: $*" >&2
  exit 1
}

# ---- prerequisites ---------------------------------------------------------

[ -x build/bench-server ] || die "build/bench-server missing: run make bench"
command -v "$nginx_bin" >/dev/null 2>&1 || die "nginx not found"
command -v curl >/dev/null 2>&1 || die "curl not found"
command -v timeout >/dev/null 2>&1 || die "timeout not found"
for m in ndk_http_module ngx_http_lua_module; do
  [ -f "$modules/$m.so" ] || die "$modules/$m.so missing (libnginx-mod-http-lua)"
done

luas=""
for l in ${BENCH_LUAS:-luajit lua5.1 lua5.4}; do
  if [ -z "${BENCH_LUAS:-}" ]; then
    case " ${LUAS:-luajit lua5.1 lua5.4} " in *" $l "*) ;; *) continue ;; esac
  fi
  command -v "$l" >/dev/null 2>&1 || die "interpreter $l not found"
  [ -f "build/$l/resty/luasocket/native.so" ] ||
    die "build/$l/resty/luasocket/native.so missing: run make LUA=$l"
  luas="$luas $l"
done
[ -n "$luas" ] || die "no interpreter for the native columns"
set -- $luas
report_lua=$1

# the C client, built by `make bench` like bench-server
client=build/bench-client
[ -x "$client" ] || { echo "bench: $client missing: run make bench" >&2; exit 1; }

# ---- CPUs ------------------------------------------------------------------

# the first two CPUs this process may run on ("0-3,6" -> 0 1)
cpus=""
if command -v taskset >/dev/null 2>&1; then
  cpus=$(taskset -cp $$ | sed 's/.*: *//' | tr ',' '\n' | awk -F- '
    { hi = ($2 == "") ? $1 : $2; for (c = $1; c <= hi && n < 2; c++) { print c; n++ } }' |
    tr '\n' ' ')
fi
set -- $cpus
pin_client=""
pin_server=""
case "$pin" in
  split)
    if [ $# -ge 2 ]; then
      pin_client="taskset -c $1"
      pin_server="taskset -c $2"
    fi ;;
  same)
    if [ $# -ge 1 ]; then
      pin_client="taskset -c $1"
      pin_server="taskset -c $1"
    fi ;;
  off) ;;
  *) die "BENCH_PIN: split, same or off" ;;
esac

# ---- processes -------------------------------------------------------------

tmp=""
server_pid=""
nginx_pid=""

stop_pid() { # TERM, wait up to 5 s, then KILL
  pid=$1
  i=0
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  if [ -n "$server_pid" ]; then stop_pid "$server_pid"; fi
  if [ -n "$nginx_pid" ]; then stop_pid "$nginx_pid"; fi
  if [ -n "$tmp" ]; then
    if [ "${KEEP:-0}" = 1 ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
  fi
}
trap cleanup EXIT
# a signal (a reader that went away included) still stops the servers
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
mkdir -p "$tmp/logs"

columns="c-keep cosocket-pooled"
for l in $luas; do columns="$columns $l-pooled"; done
columns="$columns c-close cosocket-unpooled"
for l in $luas; do columns="$columns $l-unpooled"; done
ncolumns=$(echo $columns | wc -w)

# seconds a measurement may take, and the server's own limit
limit=$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 1.2 + 20 }')
budget=$(awk -v s="$seconds" -v r="$rounds" -v n="$ncolumns" \
  'BEGIN { printf "%d", r * n * (s * 1.2 + 5) + 120 }')

$pin_server build/bench-server --max-seconds "$budget" \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
port=""
n=0
while [ $n -lt 250 ] && [ -z "$port" ]; do
  port=$(sed -n 's/^port //p' "$tmp/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.02
  n=$((n + 1))
done
[ -n "$port" ] || die "bench-server did not start: $(cat "$tmp/server.err")"

nginx_ready() {
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$nginx_port/ready"
}

start_nginx() {
  attempt=0
  while [ $attempt -lt 10 ]; do
    attempt=$((attempt + 1))
    nginx_port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000))
    cat > "$tmp/nginx.conf" <<CONF
load_module $modules/ndk_http_module.so;
load_module $modules/ngx_http_lua_module.so;
daemon off;
master_process off;
worker_processes 1;
error_log $tmp/logs/error.log warn;
pid $tmp/logs/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  lua_package_path '$root/bench/?.lua;;';
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /ready { return 204; }
    location = /run { content_by_lua_block { require("harness").ngx_main() } }
  }
}
CONF
    $pin_client "$nginx_bin" -p "$tmp" -e "$tmp/logs/error.log" \
      -c "$tmp/nginx.conf" >"$tmp/logs/stdout" 2>&1 &
    nginx_pid=$!
    n=0
    while [ $n -lt 100 ]; do
      nginx_ready && return 0
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.05
      n=$((n + 1))
    done
    stop_pid "$nginx_pid"
    nginx_pid=""
  done
  cat "$tmp/logs/stdout" "$tmp/logs/error.log" >&2 2>/dev/null || true
  die "nginx did not start"
}
start_nginx

# ---- measuring -------------------------------------------------------------

# measure WORKLOAD COLUMN: prints "result UNITS SECONDS [NOTE...]"
measure() {
  w=$1
  col=$2
  case "$col" in
    c-keep) timeout -k 2 "$limit" $pin_client "$client" "$w" keep \
              "$port" "$seconds" "$max" ;;
    c-close) timeout -k 2 "$limit" $pin_client "$client" "$w" close \
               "$port" "$seconds" "$max" ;;
    cosocket-*)
      curl -s --max-time "$limit" \
        "http://127.0.0.1:$nginx_port/run?w=$w&mode=${col#cosocket-}&port=$port&seconds=$seconds&max=$max" ;;
    *)
      interp=${col%-*}
      LUA_PATH="$root/bench/?.lua;$root/lib/?.lua;;" \
      LUA_CPATH="$root/build/$interp/?.so;;" \
        timeout -k 2 "$limit" $pin_client "$interp" "bench/$w.lua" \
        "${col##*-}" "$port" "$seconds" "$max" ;;
  esac
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs" \
     "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1))"
echo "# $("$nginx_bin" -v 2>&1 | sed 's/.*: //'), ngx_lua" \
     "$(dpkg-query -W -f='${Version}' libnginx-mod-http-lua 2>/dev/null || echo '?')," \
     "$rounds round(s) of $seconds s per column, pinning: ${pin_client:-none}" \
     "(clients) / ${pin_server:-none} (server)"
# other work on the machine skews every column: say how busy it was just
# before (non-idle share of every CPU over one second, from /proc/stat)
cpu_times() { sed -n 's/^cpu  *//p' /proc/stat; }
before=$(cpu_times)
sleep 1
echo "# CPUs busy in the second before the run: $(echo "$before $(cpu_times)" | awk -v n="$(nproc)" '{
  m = NF / 2; for (i = 1; i <= m; i++) { d = $(i + m) - $i; t += d; if (i == 4 || i == 5) idle += d }
  busy = (t > 0) ? n * (t - idle) / t : 0; printf "%.2f of %d", busy, n }')"

: > "$tmp/results"
for w in $workloads; do
  round=1
  while [ "$round" -le "$rounds" ]; do
    # this round's order: the columns rotated by round - 1
    skip=$(( (round - 1) % ncolumns ))
    head=""
    tail=""
    i=0
    for c in $columns; do
      if [ $i -lt $skip ]; then tail="$tail $c"; else head="$head $c"; fi
      i=$((i + 1))
    done
    for col in $head $tail; do
      status=0
      out=$(measure "$w" "$col" 2>&1) || status=$?
      case "$out" in
        "result "*) ;;
        *) die "$w $col (round $round, status $status): $out" ;;
      esac
      set -- $out
      echo "$w $col $round $2 $3" >> "$tmp/results"
    done
    round=$((round + 1))
  done
done

kill -0 "$server_pid" 2>/dev/null || die "bench-server died during the run"
kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during the run"
echo
"$report_lua" bench/report.lua "$tmp/results"
