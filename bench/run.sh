#!/bin/sh
# bench/run.sh: the benchmarks (`make bench [QUICK=1]` builds what they need
# and runs this). Starts its own servers on 127.0.0.1 (build/bench-server, a
# real nginx with ngx_lua, for W1 a redis-server, and for W6 `openssl
# s_server`s with a throw-away PKI), runs every column of every workload,
# round after round in a rotating order (so that a slow moment of the
# machine spreads over all columns), counts instructions per round trip
# (W1) and per line (W3) with callgrind and system calls per round trip
# (W1) and per cycle (W5) with strace, prints the tables of
# bench/report.lua and plots the rates of W1-W5 against the C client's with
# gnuplot.
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
#   BENCH_TLS="1.3 1.2"   W6: the TLS versions of the handshake columns
#                         (default both; QUICK=1: 1.3)
#   BENCH_TLS_KEY=ec|rsa  W6: the keys of the PKI: EC P-256 (default) or
#                         RSA 2048
#   BENCH_LUASOCKET=luajit  the interpreter of the LuaSocket columns (W1-W4;
#                         `none`: no such column)
#   BENCH_CALLGRIND=1     instructions per round trip (W1), per receive
#                         (W2, the C client and the native columns) and per
#                         line (W3) under valgrind's callgrind (0: none;
#                         QUICK=1: the C client and luajit only, fewer
#                         steps, no W2)
#   BENCH_STRACE=1        system calls per round trip (W1, echo) and per
#                         cycle (W5, pooled and unpooled), by name, under
#                         `strace -f -c`: each column run for N and 2N steps,
#                         the difference divided by the steps between (0:
#                         none; default 1 where strace is installed and may
#                         trace, else 0; QUICK=1: of the native columns
#                         luajit only, with the C client and the cosockets,
#                         fewer steps)
#   BENCH_PLOT=FILE       the plot (default docs/bench.png after a full run
#                         of W1-W4, else bench.png in the output folder)
#   KEEP=1                keep the temporary directory (nginx logs, results)
#
# The results, the instruction counts, the system call counts, the plot's
# data and the printed tables are also left in build/bench/ (QUICK=1:
# build/bench/quick/): results, instructions, syscalls, plot.dat,
# report.txt.
#
# Workloads (one script each, bench/<name>.lua, see bench/harness.lua):
#   w1_pingpong  PING / +PONG round trips on one connection (bench-server,
#                redis-server)
#   w2_bulk      receive(65536) of streams of 512 MiB
#   w3_lines     receive("*l") of streams of 2 M short lines; and its
#                floor per interpreter: the same loop over bench/floor.c's
#                receive, which returns the line and does nothing else
#   w4_until     a receiveuntil(boundary) reader called with 65536, over
#                streams of 64 MiB
#   w5_pool      connect + request + receive, then setkeepalive or close
#   w6_tls       TLS: full and resumed handshakes; bulk receive, TLS and plain
#
# Needs: build/bench-server, build/<interp>/resty/luasocket/native.so (and
# for w3_lines build/<interp>/bench_floor.so) for each interpreter, nginx
# with ndk_http_module and ngx_http_lua_module, curl, timeout, gnuplot;
# build/bench-server and build/bench-client (make bench); for w1_pingpong
# redis-server and redis-cli; for the LuaSocket columns LuaSocket; for the
# instruction counts valgrind; for the system call counts strace; for
# w6_tls the openssl command.

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
all_workloads="w1_pingpong w2_bulk w3_lines w4_until w5_pool w6_tls"
workloads=${BENCH_WORKLOADS:-$all_workloads}
callgrind=${BENCH_CALLGRIND:-1}
syscalls=${BENCH_STRACE:-}
if [ "${QUICK:-}" = 1 ]; then
  tls_versions=${BENCH_TLS:-1.3}
else
  tls_versions=${BENCH_TLS:-1.3 1.2}
fi
tls_key=${BENCH_TLS_KEY:-ec}

die() {
  echo "bench: $*" >&2
  exit 1
}

# ---- prerequisites ---------------------------------------------------------

w1=0
w2=0
w3=0
w5=0
w6=0
w1to4=0
for w in $workloads; do
  case "$w" in
    w1_pingpong) w1=1; w1to4=$((w1to4 + 1)) ;;
    w3_lines) w3=1; w1to4=$((w1to4 + 1)) ;;
    w2_bulk) w2=1; w1to4=$((w1to4 + 1)) ;;
    w4_until) w1to4=$((w1to4 + 1)) ;;
    w5_pool) w5=1 ;;
    w6_tls) w6=1 ;;
    *) die "unknown workload $w (known: $all_workloads)" ;;
  esac
done
if [ "$w6" = 1 ]; then
  command -v openssl >/dev/null 2>&1 || die "openssl not found (w6_tls)"
  for v in $tls_versions; do
    case "$v" in 1.2|1.3) ;; *) die "BENCH_TLS: 1.2 and/or 1.3" ;; esac
  done
  case "$tls_key" in
    ec) key_opts="-newkey ec -pkeyopt ec_paramgen_curve:P-256"
        key_name="EC P-256" ;;
    rsa) key_opts="-newkey rsa:2048"
         key_name="RSA 2048" ;;
    *) die "BENCH_TLS_KEY: ec or rsa" ;;
  esac
fi

[ -x build/bench-server ] || die "build/bench-server missing: run make bench"
command -v "$nginx_bin" >/dev/null 2>&1 || die "nginx not found"
command -v curl >/dev/null 2>&1 || die "curl not found"
command -v timeout >/dev/null 2>&1 || die "timeout not found"
command -v gnuplot >/dev/null 2>&1 || die "gnuplot not found (gnuplot-nox)"
if [ "$w1" = 1 ]; then
  for c in redis-server redis-cli; do
    command -v $c >/dev/null 2>&1 || die "$c not found (w1_pingpong)"
  done
fi
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
  [ "$w3" = 0 ] || [ -f "build/$l/bench_floor.so" ] ||
    die "build/$l/bench_floor.so missing (W3's floor): run make LUA=$l bench-floor"
  luas="$luas $l"
done
[ -n "$luas" ] || die "no interpreter for the native columns"
set -- $luas
report_lua=$1

# the LuaSocket columns (W1-W4): LuaSocket's objects, `require "socket"`
luasocket=${BENCH_LUASOCKET:-luajit}
[ "$luasocket" = none ] && luasocket=""
if [ -n "$luasocket" ] && [ "$w1to4" -gt 0 ]; then
  command -v "$luasocket" >/dev/null 2>&1 ||
    die "interpreter $luasocket not found (BENCH_LUASOCKET)"
  "$luasocket" -e 'require "socket"' 2>/dev/null ||
    die "LuaSocket not found for $luasocket (lua-socket; BENCH_LUASOCKET=none: no such column)"
fi

case "$callgrind" in
  0) ;;
  1) command -v valgrind >/dev/null 2>&1 || die "valgrind not found" ;;
  *) die "BENCH_CALLGRIND: 0 or 1" ;;
esac
[ "$w1" = 1 ] || [ "$w2" = 1 ] || [ "$w3" = 1 ] || callgrind=0

# strace may be there and still not trace (a container without ptrace):
# unset, that means no counts; BENCH_STRACE=1, an error
strace_works() {
  strace -f -c -o /dev/null true >/dev/null 2>&1
}
case "$syscalls" in
  0) ;;
  1) command -v strace >/dev/null 2>&1 || die "strace not found (BENCH_STRACE=1)"
     strace_works || die "strace cannot trace here (BENCH_STRACE=0: no system call counts)" ;;
  "") syscalls=0
      if command -v strace >/dev/null 2>&1 && strace_works; then syscalls=1; fi ;;
  *) die "BENCH_STRACE: 0 or 1" ;;
esac
[ "$w1" = 1 ] || [ "$w5" = 1 ] || syscalls=0

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
redis_pid=""
cg_nginx_pid=""
strace_pid=""
s_server_pids=""

# stop_pid, wait_for, random_port
# shellcheck source=t/lib/proc.sh
. "$root/t/lib/proc.sh"

cleanup() {
  # (strace first: it detaches from nginx, which then stops as usual)
  if [ -n "$strace_pid" ]; then stop_pid "$strace_pid"; fi
  if [ -n "$server_pid" ]; then stop_pid "$server_pid"; fi
  if [ -n "$nginx_pid" ]; then stop_pid "$nginx_pid"; fi
  if [ -n "$cg_nginx_pid" ]; then stop_pid "$cg_nginx_pid"; fi
  if [ -n "$redis_pid" ]; then stop_pid "$redis_pid"; fi
  for p in $s_server_pids; do stop_pid "$p"; done
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

# the modes of W1-W4 (a table each, but W1's two in one)
modes_of() {
  case "$1" in
    w1_pingpong) echo echo redis ;;
    w2_bulk) echo bulk ;;
    w3_lines) echo lines ;;
    w4_until) echo until ;;
  esac
}

# the columns of a workload, in their order in the table: KIND-MODE, KIND
# c (the C client), cosocket, cosocket64k (lua_socket_buffer_size 64k),
# luasocket, an interpreter or (W3) floor_<interpreter> (bench/floor.c);
# W6's are KIND-MODE[-VERSION], KIND s_time, cosocket or an interpreter
columns_of() {
  case "$1" in
    w1_pingpong|w2_bulk|w3_lines|w4_until)
      cols=""
      for m in $(modes_of "$1"); do
        cols="$cols c-$m cosocket-$m cosocket64k-$m"
        for l in $luas; do cols="$cols $l-$m"; done
        if [ -n "$luasocket" ]; then cols="$cols luasocket-$m"; fi
        if [ "$1" = w3_lines ]; then
          for l in $luas; do cols="$cols floor_$l-$m"; done
        fi
      done ;;
    w5_pool)
      cols="c-keep cosocket-pooled"
      for l in $luas; do cols="$cols $l-pooled"; done
      cols="$cols c-close cosocket-unpooled"
      for l in $luas; do cols="$cols $l-unpooled"; done ;;
    w6_tls)
      cols=""
      for v in $tls_versions; do
        for m in full resumed fullget resumedget; do
          cols="$cols s_time-$m-$v cosocket-$m-$v"
          for l in $luas; do cols="$cols $l-$m-$v"; done
        done
      done
      for m in plain tls; do
        cols="$cols cosocket-$m"
        for l in $luas; do cols="$cols $l-$m"; done
      done ;;
  esac
  echo $cols
}
ncolumns=0
for w in $workloads; do
  ncolumns=$((ncolumns + $(columns_of "$w" | wc -w)))
done

# s_time counts whole seconds of time(): it runs from its start to the end
# of the second after `-time` seconds (run.sh starts it as a second begins)
st_time=$(awk -v s="$seconds" 'BEGIN { t = int(s + 0.5) - 1; print (t < 1) ? 1 : t }')

# seconds a measurement may take, and the servers' own limit
limit=$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 1.2 + 20 }')
st_limit=$((st_time + 1 + 20))
budget=$(awk -v s="$seconds" -v t="$st_time" -v r="$rounds" -v n="$ncolumns" \
  -v cg="$callgrind" -v sc="$syscalls" 'BEGIN { if (t + 2 > s) s = t + 2
    printf "%d", r * n * (s * 1.2 + 5) + 120 + cg * 1200 + sc * 900 }')

$pin_server build/bench-server --max-seconds "$budget" \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
port=""
n=0
while [ $n -lt 250 ] && [ -z "$port" ]; do
  # (the file may not be there yet: the server's shell makes it)
  port=$(sed -n 's/^port //p' "$tmp/server.out" 2>/dev/null || true)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.02
  n=$((n + 1))
done
[ -n "$port" ] || die "bench-server did not start: $(cat "$tmp/server.err")"

# ---- W1: a redis-server ----------------------------------------------------

# no persistence, 127.0.0.1 only, on the server CPU; stopped by PID, or by
# timeout after the budget if run.sh is not there to stop it
redis_port=""
start_redis() {
  attempt=0
  while [ $attempt -lt 10 ]; do
    attempt=$((attempt + 1))
    redis_port=$(random_port)
    $pin_server timeout -k 2 "$budget" redis-server --bind 127.0.0.1 \
      --port "$redis_port" --save "" --appendonly no --daemonize no \
      --dir "$tmp" --logfile "$tmp/logs/redis.log" \
      >"$tmp/logs/redis.out" 2>&1 &
    redis_pid=$!
    n=0
    while [ $n -lt 100 ]; do
      if [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$redis_port" ping \
               2>/dev/null)" = PONG ]; then
        return 0
      fi
      kill -0 "$redis_pid" 2>/dev/null || break
      sleep 0.05
      n=$((n + 1))
    done
    stop_pid "$redis_pid"
    redis_pid=""
  done
  die "redis-server did not start: $(cat "$tmp/logs/redis.log" 2>/dev/null)"
}
if [ "$w1" = 1 ]; then
  start_redis
fi

# ---- W6: a throw-away PKI and the TLS servers ------------------------------

pki=""
nginx_tls=""
bulk_mib=""
if [ "$w6" = 1 ]; then
  pki=$tmp/pki
  mkdir -p "$pki" "$tmp/www"
  cat > "$pki/openssl.cnf" <<CNF
[req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
  {
    openssl req -x509 -config "$pki/openssl.cnf" -extensions ca_ext \
      $key_opts -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 2 \
      -subj "/CN=bench CA" &&
    openssl req -new -config "$pki/openssl.cnf" $key_opts -nodes \
      -keyout "$pki/server.key" -out "$pki/server.csr" -subj "/CN=localhost" &&
    openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" \
      -CAkey "$pki/ca.key" -set_serial 1 -days 2 -extfile "$pki/openssl.cnf" \
      -extensions server_ext -out "$pki/server.pem"
  } >"$pki/log" 2>&1 || die "the test PKI: $(cat "$pki/log")"

  # what s_server -WWW serves: the bulk file (BULK_MIB of w6_tls.lua)
  bulk_mib=$(sed -n 's/^local BULK_MIB = \([0-9][0-9]*\)$/\1/p' bench/w6_tls.lua)
  [ -n "$bulk_mib" ] || die "no BULK_MIB in bench/w6_tls.lua"
  head -c $((bulk_mib * 1048576)) /dev/zero > "$tmp/www/bulk"
  echo ready > "$tmp/www/ready"

  nginx_tls="lua_ssl_trusted_certificate $pki/ca.pem;
  lua_ssl_protocols TLSv1.2 TLSv1.3;"
fi

# start_s_server NAME OPTIONS PATH: an openssl s_server on 127.0.0.1 (port in
# s_port), in $tmp/www, stopped by timeout after the budget if run.sh is
# not there to stop it; ready once curl fetched PATH from it over TLS,
# with the run's CA and the name localhost
start_s_server() {
  attempt=0
  while [ $attempt -lt 10 ]; do
    attempt=$((attempt + 1))
    s_port=$(random_port)
    (cd "$tmp/www" && exec $pin_server timeout -k 2 "$budget" \
      openssl s_server -accept "127.0.0.1:$s_port" -cert "$pki/server.pem" \
      -key "$pki/server.key" -quiet $2) \
      >"$tmp/logs/$1.out" 2>"$tmp/logs/$1.err" &
    s_pid=$!
    n=0
    while [ $n -lt 100 ]; do
      if curl -s -o /dev/null --max-time 2 --cacert "$pki/ca.pem" \
           --resolve "localhost:$s_port:127.0.0.1" "https://localhost:$s_port$3"
      then
        s_server_pids="$s_server_pids $s_pid"
        return 0
      fi
      kill -0 "$s_pid" 2>/dev/null || break
      sleep 0.05
      n=$((n + 1))
    done
    stop_pid "$s_pid"
  done
  die "openssl s_server $1 did not start: $(cat "$tmp/logs/$1.err")"
}

hs_port_13=""
hs_port_12=""
bulk_port=""
if [ "$w6" = 1 ]; then
  for v in $tls_versions; do
    case "$v" in
      1.3) start_s_server s_server-tls1.3 "-www -tls1_3" /
           hs_port_13=$s_port ;;
      1.2) start_s_server s_server-tls1.2 "-www -tls1_2" /
           hs_port_12=$s_port ;;
    esac
  done
  start_s_server s_server-bulk -WWW /ready
  bulk_port=$s_port
fi

nginx_ready() {
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$nginx_port/ready"
}

# nginx_conf NAME PORT: $tmp/NAME.conf, an nginx on 127.0.0.1:PORT, one
# process (master_process off), the cosockets at /run with the default
# lua_socket_buffer_size and at /run64k with 64k; its log
# $tmp/logs/NAME-error.log
nginx_conf() {
    cat > "$tmp/$1.conf" <<CONF
load_module $modules/ndk_http_module.so;
load_module $modules/ngx_http_lua_module.so;
daemon off;
master_process off;
worker_processes 1;
error_log $tmp/logs/$1-error.log warn;
pid $tmp/logs/$1.pid;
events { worker_connections 1024; }
http {
  access_log off;
  lua_package_path '$root/bench/?.lua;;';
  $nginx_tls
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$2;
    location = /ready { return 204; }
    location = /run { content_by_lua_block { require("harness").ngx_main() } }
    location = /run64k {
      lua_socket_buffer_size 64k;
      content_by_lua_block { require("harness").ngx_main() }
    }
  }
}
CONF
}

start_nginx() {
  attempt=0
  while [ $attempt -lt 10 ]; do
    attempt=$((attempt + 1))
    nginx_port=$(random_port)
    nginx_conf nginx "$nginx_port"
    $pin_client "$nginx_bin" -p "$tmp" -e "$tmp/logs/nginx-error.log" \
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
  cat "$tmp/logs/stdout" "$tmp/logs/nginx-error.log" >&2 2>/dev/null || true
  die "nginx did not start"
}
start_nginx

# ---- measuring -------------------------------------------------------------

# s_time PORT MODE: `openssl s_time -new` (full) or `-reuse` (resumed: it
# passes the session of its first connection every time), with `-www /`
# for the GET modes, against the s_server on PORT, with the run's CA (so
# it checks the chain as the other columns do; it sends no name and checks
# none); prints "result CONNECTIONS SECONDS resumed=all|none|R/N" from its
# "N connections in T real seconds" line and its r (reused) marks
s_time() {
  case "$2" in
    full) f="-new" ;;
    resumed) f="-reuse" ;;
    fullget) f="-new -www /" ;;
    resumedget) f="-reuse -www /" ;;
  esac
  try=0
  while [ $try -lt 3 ]; do
    try=$((try + 1))
    # start as a second begins (see st_time)
    sleep "$(date +%N | awk '{ n = $1 + 0; printf "%.3f", 1 - n / 1e9 }')"
    t0=$(date +%s.%N)
    out=$(timeout -k 2 "$st_limit" $pin_client openssl s_time \
            -connect "127.0.0.1:$1" $f -time "$st_time" \
            -CAfile "$pki/ca.pem" 2>&1) || { echo "$out"; return 1; }
    t1=$(date +%s.%N)
    # the count of seconds against the whole run of s_time, start-up
    # included: when they differ by more than a tenth (a late start), again
    echo "$out" | awk -v wall="$(echo "$t0 $t1" | awk '{ print $2 - $1 }')" '
      /^[*rt23]+$/ { r += gsub(/r/, "r") }
      / connections in [0-9]+ real seconds/ { n = $1; t = $4 }
      END {
        if (n == "" || t + 0 <= 0) { print "no s_time line"; exit 1 }
        if (wall > t * 1.1 || wall < t * 0.9) {
          printf "s_time ran %.2f s and counted %d s\n", wall, t; exit 1 }
        printf "result %d %d resumed=%s\n", n, t,
          r == n ? "all" : r == 0 ? "none" : r "/" n }' && return 0
  done
  return 1
}

# max_of WORKLOAD: the units a measurement stops at, BENCH_MAX steps (W3:
# lines, 100 a step; W2, W4: bytes, 65536 a step)
max_of() {
  case "$1" in
    w2_bulk|w4_until) echo $((max * 65536)) ;;
    w3_lines) echo $((max * 100)) ;;
    *) echo "$max" ;;
  esac
}

# port_of MODE: the server of a mode of W1-W5
port_of() {
  if [ "$1" = redis ]; then echo "$redis_port"; else echo "$port"; fi
}

# run_local WORKLOAD COLUMN SECONDS MAX LIMIT: a column of W1-W5 that runs
# as a process here (KIND c: the C client, luasocket: LuaSocket's objects,
# floor_<interpreter>: bench/floor.c's, else an interpreter with this
# library), within LIMIT seconds, pinned, and
# under $wrap (valgrind for the instruction counts) when set
wrap=""
run_local() {
  rl_kind=${2%-*}
  rl_mode=${2##*-}
  case "$rl_kind" in
    c) timeout -k 2 "$5" $pin_client $wrap "$client" "$1" "$rl_mode" \
         "$(port_of "$rl_mode")" "$3" "$4" ;;
    luasocket)
      BENCH_SOCKET=luasocket LUA_PATH="$root/bench/?.lua;;" LUA_CPATH=";;" \
        timeout -k 2 "$5" $pin_client $wrap "$luasocket" "bench/$1.lua" \
        "$rl_mode" "$(port_of "$rl_mode")" "$3" "$4" ;;
    floor_*)
      BENCH_SOCKET=floor LUA_PATH="$root/bench/?.lua;$root/lib/?.lua;;" \
      LUA_CPATH="$root/build/${rl_kind#floor_}/?.so;;" \
        timeout -k 2 "$5" $pin_client $wrap "${rl_kind#floor_}" \
        "bench/$1.lua" "$rl_mode" "$(port_of "$rl_mode")" "$3" "$4" ;;
    *)
      LUA_PATH="$root/bench/?.lua;$root/lib/?.lua;;" \
      LUA_CPATH="$root/build/$rl_kind/?.so;;" \
        timeout -k 2 "$5" $pin_client $wrap "$rl_kind" "bench/$1.lua" \
        "$rl_mode" "$(port_of "$rl_mode")" "$3" "$4" ;;
  esac
}

# run_nginx NGINX_PORT WORKLOAD COLUMN SECONDS MAX LIMIT: a cosocket column
# of W1-W5 (KIND cosocket: /run, cosocket64k: /run64k)
run_nginx() {
  case "${3%-*}" in cosocket64k) rn_loc=run64k ;; *) rn_loc=run ;; esac
  rn_mode=${3##*-}
  curl -s --max-time "$6" \
    "http://127.0.0.1:$1/$rn_loc?w=$2&mode=$rn_mode&port=$(port_of "$rn_mode")&seconds=$4&max=$5"
}

# measure WORKLOAD COLUMN: prints "result UNITS SECONDS [NOTE...]"
measure() {
  w=$1
  col=$2
  if [ "$w" = w6_tls ]; then
    # shellcheck disable=SC2046 # split on purpose, never globbed (set -f)
    set -- $(echo "$col" | tr '-' ' ')
    kind=$1
    mode=$2
    case "$mode" in
      full|resumed|fullget|resumedget)
        case "$3" in 1.3) p=$hs_port_13 ;; *) p=$hs_port_12 ;; esac
        n=$max ;;
      tls) p=$bulk_port; n=$((max * 65536)) ;;
      *) p=$port; n=$((max * 65536)) ;;
    esac
    case "$kind" in
      s_time) s_time "$p" "$mode" ;;
      cosocket)
        curl -s --max-time "$limit" \
          "http://127.0.0.1:$nginx_port/run?w=$w&mode=$mode&port=$p&seconds=$seconds&max=$n" ;;
      *)
        BENCH_TLS_CA="$pki/ca.pem" \
        LUA_PATH="$root/bench/?.lua;$root/lib/?.lua;;" \
        LUA_CPATH="$root/build/$kind/?.so;;" \
          timeout -k 2 "$limit" $pin_client "$kind" "bench/$w.lua" \
          "$mode" "$p" "$seconds" "$n" ;;
    esac
    return
  fi
  case "$col" in
    cosocket-*|cosocket64k-*) run_nginx "$nginx_port" "$w" "$col" "$seconds" \
                                "$(max_of "$w")" "$limit" ;;
    *) run_local "$w" "$col" "$seconds" "$(max_of "$w")" "$limit" ;;
  esac
}

# table_of COLUMN WORKLOAD: the table of the report a column's figures go
# to, and the column's name there (W6: a table per TLS version, and w6_bulk)
table_of() {
  case "$2:$1" in
    w6_tls:*-1.[23]) echo "${2}${1##*-} ${1%-*}" ;;
    w6_tls:*) echo "w6_bulk $1" ;;
    *) echo "$2 $1" ;;
  esac
}

{
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs" \
     "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1))," \
     "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(
       git diff --quiet HEAD 2>/dev/null || echo ' (with changes)')"
echo "# $("$nginx_bin" -v 2>&1 | sed 's/.*: //'), ngx_lua" \
     "$(dpkg-query -W -f='${Version}' libnginx-mod-http-lua 2>/dev/null || echo '?')," \
     "$rounds round(s) of $seconds s per column, pinning: ${pin_client:-none}" \
     "(clients) / ${pin_server:-none} (server)"
if [ "$w6" = 1 ]; then
  echo "# W6: $(openssl version | sed 's/ (Library.*//'), nginx built with" \
       "$("$nginx_bin" -V 2>&1 | sed -n 's/^built with OpenSSL \([^ ]*\).*/\1/p')," \
       "$key_name keys, TLS $tls_versions, s_time -time $st_time" \
       "(runs $((st_time + 1)) s), bulk streams of $bulk_mib MiB"
fi
if [ "$w1to4" -gt 0 ]; then
  echo "# W1-W4: $(redis-server --version 2>/dev/null | sed 's/ sha=.*//')," \
       "LuaSocket: ${luasocket:-none}$(if [ -n "$luasocket" ]; then
         printf ' %s' "$("$luasocket" -e 'io.write(require("socket")._VERSION)')"
       fi), nginx lua_socket_buffer_size default $(getconf PAGESIZE) and 65536$(
         if [ "$callgrind" = 1 ]; then echo ", $(valgrind --version)"; fi)"
fi
if [ "$syscalls" = 1 ]; then
  echo "# system calls: $(strace -V | head -n 1)"
fi
} > "$tmp/header"
cat "$tmp/header"
# other work on the machine skews every column: say how busy it was just
# before (non-idle share of every CPU over one second, from /proc/stat)
cpu_times() { sed -n 's/^cpu  *//p' /proc/stat; }
busy_line() {
  before=$(cpu_times)
  sleep 1
  echo "# CPUs busy in the second $1 the run: $(echo "$before $(cpu_times)" | awk -v n="$(nproc)" '{
    m = NF / 2; for (i = 1; i <= m; i++) { d = $(i + m) - $i; t += d; if (i == 4 || i == 5) idle += d }
    busy = (t > 0) ? n * (t - idle) / t : 0; printf "%.2f of %d", busy, n }'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
busy_line before | tee -a "$tmp/header"

: > "$tmp/results"
for w in $workloads; do
  columns=$(columns_of "$w")
  ncols=$(echo $columns | wc -w)
  round=1
  while [ "$round" -le "$rounds" ]; do
    # this round's order: the columns rotated by round - 1
    skip=$(( (round - 1) % ncols ))
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
      echo "$(table_of "$col" "$w") $round $2 $3${4:+ $4}" >> "$tmp/results"
    done
    round=$((round + 1))
  done
done

# ---- instruction counts ----------------------------------------------------

# W1 (echo), W2 and W3: each column run twice under callgrind, N1 and N2
# steps (W2: the C client and the native columns only; N in bytes, a
# receive being 64 KiB)
# (+ the harness's untimed tenth), the instructions of the whole process
# (user space) counted; report.lua takes (Ir(N2) - Ir(N1)) / (steps(N2) -
# steps(N1)), so that start-up and exit cancel out. nginx runs as a process
# of its own under callgrind for each count (one process, master_process
# off), with one request, stopped by PID: its start-up and exit cancel out
# the same way.
cg_kinds="c $luas"
if [ -n "$luasocket" ]; then cg_kinds="$cg_kinds luasocket"; fi
cg_kinds="$cg_kinds cosocket cosocket64k"
cg_floors=""
for l in $luas; do cg_floors="$cg_floors floor_$l"; done
cg_w1="2000 12000"
cg_w2="$((100 * 65536)) $((600 * 65536))"
cg_w3="20000 220000"
if [ "${QUICK:-}" = 1 ]; then
  cg_kinds="c luajit"
  cg_floors=""
  cg_w1="200 1200"
  cg_w2=""
  cg_w3="2000 12000"
fi
cg_limit=300

# listening PORT: whether something listens on 127.0.0.1:PORT
listening() {
  grep -q "^ *[0-9]*: 0100007F:$(printf '%04X' "$1") 00000000:0000 0A " \
    /proc/net/tcp
}

# wait_until PID TRIES COMMAND...: runs COMMAND every 0.05 s, TRIES times
# at most, while process PID runs; succeeds once COMMAND does
wait_until() {
  wu_pid=$1
  wu_tries=$2
  shift 2
  wu_i=0
  while [ $wu_i -lt "$wu_tries" ] && kill -0 "$wu_pid" 2>/dev/null; do
    "$@" && return 0
    sleep 0.05
    wu_i=$((wu_i + 1))
  done
  "$@"
}

# stop_cg_nginx: TERM (timeout passes it on to valgrind's nginx, which
# exits and writes its counts), then wait up to 60 s for it
stop_cg_nginx() {
  kill "$cg_nginx_pid" 2>/dev/null || true
  i=0
  while kill -0 "$cg_nginx_pid" 2>/dev/null && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  stop_pid "$cg_nginx_pid"
  cg_nginx_pid=""
}

# run_wrapped WRAP WORKLOAD COLUMN N LIMIT ERRFILE: a column of run_local,
# N steps (whatever the time) under WRAP (callgrind, strace); its errors
# printed after its result line only when it fails
run_wrapped() {
  wrap=$1
  run_local "$2" "$3" 100000 "$4" "$5" 2>"$6" || cat "$6"
  wrap=""
}

# instructions WORKLOAD COLUMN N FILE: runs the column's N steps under
# callgrind (its counts in FILE); prints the result line. Runs in this
# shell (not in a $(...)), so that cleanup() knows cg_nginx_pid
instructions() {
  cg="valgrind --tool=callgrind --callgrind-out-file=$4"
  case "$2" in
    cosocket-*|cosocket64k-*)
      attempt=0
      while [ $attempt -lt 10 ]; do
        attempt=$((attempt + 1))
        cg_port=$(random_port)
        nginx_conf cg-nginx "$cg_port"
        timeout -k 2 "$cg_limit" $pin_client $cg "$nginx_bin" -p "$tmp" \
          -e "$tmp/logs/cg-nginx-error.log" -c "$tmp/cg-nginx.conf" \
          >"$tmp/logs/cg-nginx.out" 2>&1 &
        cg_nginx_pid=$!
        if wait_until "$cg_nginx_pid" 1200 listening "$cg_port"; then
          run_nginx "$cg_port" "$1" "$2" 100000 "$3" "$cg_limit"
          stop_cg_nginx
          return
        fi
        stop_cg_nginx
      done
      echo "nginx under callgrind did not start: $(cat "$tmp/logs/cg-nginx.out")" ;;
    *) run_wrapped "$cg" "$1" "$2" "$3" "$cg_limit" "$4.err" ;;
  esac
}

# counted TOOL FUNCTION WORKLOAD COLUMN N FILE: FUNCTION's count of the
# column's N steps (its output in FILE.result), in this shell (so that
# cleanup() knows the PIDs it starts); dies unless it printed a result line
counted() {
  "$2" "$3" "$4" "$5" "$6" >"$6.result" 2>&1 || true
  case "$(cat "$6.result")" in
    "result "*) ;;
    *) die "$1: $3 $4 $5: $(cat "$6.result")" ;;
  esac
}

: > "$tmp/instructions"
if [ "$callgrind" = 1 ]; then
  mkdir -p "$tmp/cg"
  for w in w1_pingpong w2_bulk w3_lines; do
    kinds=$cg_kinds
    case "$w" in
      w1_pingpong) [ "$w1" = 1 ] || continue; mode="echo"; ns=$cg_w1 ;;
      w2_bulk)
        [ "$w2" = 1 ] && [ -n "$cg_w2" ] || continue
        mode=bulk; ns=$cg_w2; kinds="c $luas" ;;
      w3_lines)
        [ "$w3" = 1 ] || continue
        mode=lines; ns=$cg_w3; kinds="$cg_kinds $cg_floors" ;;
    esac
    for kind in $kinds; do
      line="$w $kind-$mode"
      for cg_n in $ns; do
        f="$tmp/cg/$w-$kind-$cg_n.out"
        # once in a full run an nginx under callgrind ended without its
        # totals (2026-12-04, W3 cosockets): one more try before giving up
        for cg_try in 1 2; do
          counted callgrind instructions "$w" "$kind-$mode" "$cg_n" "$f"
          ir=$(sed -n 's/^totals: *//p' "$f" 2>/dev/null | head -n 1)
          [ -z "$ir" ] || break
          echo "# callgrind: $w $kind-$mode $cg_n: no totals, try $cg_try" >&2
        done
        [ -n "$ir" ] || die "callgrind: $w $kind-$mode $cg_n: no totals in $f"
        line="$line $cg_n $ir"
      done
      echo "$line" >> "$tmp/instructions"
    done
  done
fi

# ---- system calls ----------------------------------------------------------

# W1 (echo) and W5 (pooled, unpooled): each column run twice under `strace
# -f -c`, N1 and N2 steps, the calls of the whole process counted by name;
# report.lua takes (calls(N2) - calls(N1)) / (steps(N2) - steps(N1)) per
# name, so that start-up and exit cancel out, as with callgrind. The
# cosocket columns count the nginx of the rounds: strace attaches to its one
# process (master_process off) for one request of N steps, then detaches;
# the request's own calls (accept, the request, the reply) cancel out too.
sc_kinds="c $luas cosocket"
if [ -n "$luasocket" ]; then sc_kinds="$sc_kinds luasocket"; fi
sc_ns="10000 20000"
if [ "${QUICK:-}" = 1 ]; then
  sc_kinds="c luajit cosocket"
  sc_ns="1000 2000"
fi
sc_limit=300

# attached PID ERRFILE: whether a tracer is attached to process PID and
# strace said so in ERRFILE
attached() {
  [ "$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)" \
    -gt 0 ] 2>/dev/null && grep -q attached "$2"
}

# count_syscalls WORKLOAD COLUMN N FILE: runs the column's N steps under
# strace -c (its table in FILE); prints the result line. Runs in this shell
# (not in a $(...)), so that cleanup() knows strace_pid
count_syscalls() {
  st="strace -f -c -U calls,name -o $4"
  case "$2" in
    cosocket-*)
      # under timeout too, which passes SIGINT on (and sends it at the limit)
      timeout -s INT -k 2 "$sc_limit" $st -p "$nginx_pid" 2>"$4.err" &
      strace_pid=$!
      if wait_until "$strace_pid" 200 attached "$nginx_pid" "$4.err"; then
        run_nginx "$nginx_port" "$1" "$2" 100000 "$3" "$sc_limit"
      else
        echo "strace did not attach to nginx: $(cat "$4.err")"
      fi
      # SIGINT: strace detaches, then writes its table
      kill -INT "$strace_pid" 2>/dev/null || true
      wait "$strace_pid" 2>/dev/null || true
      strace_pid="" ;;
    *) run_wrapped "$st" "$1" "$2" "$3" "$sc_limit" "$4.err" ;;
  esac
}

: > "$tmp/syscalls"
if [ "$syscalls" = 1 ]; then
  mkdir -p "$tmp/strace"
  for w in $workloads; do
    for col in $(columns_of "$w"); do
      case "$w:$col" in w1_pingpong:*-echo|w5_pool:*) ;; *) continue ;; esac
      case " $sc_kinds " in *" ${col%-*} "*) ;; *) continue ;; esac
      for sc_n in $sc_ns; do
        f="$tmp/strace/$w-$col-$sc_n.out"
        counted strace count_syscalls "$w" "$col" "$sc_n" "$f"
        # the "CALLS NAME" rows, not "total" (report.lua adds them up)
        calls=$(awk '$1 ~ /^[0-9]+$/ && NF == 2 && $2 != "total" {
                       printf " %s=%s", $2, $1 }' "$f" 2>/dev/null || true)
        [ -n "$calls" ] || die "strace: $w $col $sc_n: no table in $f"
        echo "$w $col $sc_n$calls" >> "$tmp/syscalls"
      done
    done
  done
fi

kill -0 "$server_pid" 2>/dev/null || die "bench-server died during the run"
kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during the run"
if [ -n "$redis_pid" ]; then
  kill -0 "$redis_pid" 2>/dev/null || die "redis-server died during the run"
fi
for p in $s_server_pids; do
  kill -0 "$p" 2>/dev/null || die "an openssl s_server died during the run"
done

# ---- the tables and the plot -----------------------------------------------

# what a run leaves (a QUICK run does not replace a full run's), and the
# plot, which goes to docs/ after a full run of W1-W4 only
out=build/bench
if [ "${QUICK:-}" = 1 ]; then out=build/bench/quick; fi
plot=${BENCH_PLOT:-}
if [ -z "$plot" ]; then
  if [ "${QUICK:-}" != 1 ] && [ "$w1to4" = 4 ]; then
    plot=docs/bench.png
  else
    plot=$out/bench.png
  fi
fi
busy_line after >> "$tmp/header"
tail -n 1 "$tmp/header"
mkdir -p "$out" "$(dirname "$plot")"
cp "$tmp/results" "$out/results"
cp "$tmp/instructions" "$out/instructions"
cp "$tmp/syscalls" "$out/syscalls"
echo
"$report_lua" bench/report.lua "$tmp/results" "$tmp/instructions" \
  "$tmp/syscalls" "$tmp/plot.dat" > "$tmp/report" ||
  die "bench/report.lua failed"
cat "$tmp/report"
{ cat "$tmp/header"; echo; cat "$tmp/report"; } > "$out/report.txt"
# the plot: a series per column kind (3 fields each after the row's label)
if [ -s "$tmp/plot.dat" ]; then
  series=$(head -n 1 "$tmp/plot.dat" | awk -F'"' '{ print ((NF - 1) / 2 - 1) / 3 }')
  subtitle=$(head -n 1 "$tmp/header" | sed "s/^# //; s/'//g")
  cp "$tmp/plot.dat" "$out/plot.dat"
  gnuplot -e "data='$tmp/plot.dat'; out='$plot'; series=$series; subtitle='$subtitle'" \
    bench/plot.gp 2>"$tmp/gnuplot.err" ||
    die "gnuplot failed: $(cat "$tmp/gnuplot.err")"
  echo "# plot: $plot"
fi
