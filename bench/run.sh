#!/bin/sh
# bench/run.sh: the benchmarks (`make bench [QUICK=1]` builds what they need
# and runs this). Starts its own servers on 127.0.0.1 (build/bench-server, a
# real nginx with ngx_lua, and for W6 `openssl s_server`s with a throw-away
# PKI), runs every column of every workload, round after round in a
# rotating order (so that a slow moment of the machine spreads over all
# columns), and prints the table of bench/report.lua.
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
#   KEEP=1                keep the temporary directory (nginx logs, results)
#
# Workloads (one script each, bench/<name>.lua, see bench/harness.lua):
#   w5_pool   connect + request + receive, then setkeepalive or close
#   w6_tls    TLS: full and resumed handshakes; bulk receive, TLS and plain
#
# Needs: build/bench-server, build/<interp>/resty/luasocket/native.so for
# each interpreter, nginx with ndk_http_module and ngx_http_lua_module,
# curl, timeout; build/bench-server and build/bench-client (make bench);
# for w6_tls the openssl command.

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
workloads=${BENCH_WORKLOADS:-w5_pool w6_tls}
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

w6=0
for w in $workloads; do
  case "$w" in
    w5_pool) ;;
    w6_tls) w6=1 ;;
    *) die "unknown workload $w (known: w5_pool w6_tls)" ;;
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
s_server_pids=""

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

# the columns of a workload, in their order in the table; W6's names are
# KIND-MODE[-VERSION]: KIND s_time, cosocket or an interpreter
columns_of() {
  case "$1" in
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
  'BEGIN { if (t + 2 > s) s = t + 2; printf "%d", r * n * (s * 1.2 + 5) + 120 }')

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

random_port() {
  echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000))
}

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

start_nginx() {
  attempt=0
  while [ $attempt -lt 10 ]; do
    attempt=$((attempt + 1))
    nginx_port=$(random_port)
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
  $nginx_tls
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

# table_of COLUMN WORKLOAD: the table of the report a column's figures go
# to, and the column's name there (W6: a table per TLS version, and w6_bulk)
table_of() {
  case "$2:$1" in
    w6_tls:*-1.[23]) echo "${2}${1##*-} ${1%-*}" ;;
    w6_tls:*) echo "w6_bulk $1" ;;
    *) echo "$2 $1" ;;
  esac
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs" \
     "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1))"
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

kill -0 "$server_pid" 2>/dev/null || die "bench-server died during the run"
kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during the run"
for p in $s_server_pids; do
  kill -0 "$p" 2>/dev/null || die "an openssl s_server died during the run"
done
echo
"$report_lua" bench/report.lua "$tmp/results"
