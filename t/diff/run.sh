#!/usr/bin/env bash
# t/diff/run.sh: the differential suite. Every scenario in t/diff/cases/ runs
# twice against the same scripted peer (build/peer): once inside a real nginx
# with ngx.socket.tcp (the reference), once in plain Lua with the native
# socket; the two outputs must be identical.
#
#   t/diff/run.sh INTERP...          e.g. t/diff/run.sh luajit lua5.1 lua5.4
#   CASES='0[0-4]|until' t/diff/run.sh luajit   only cases whose name matches
#   KEEP=1 t/diff/run.sh luajit      keep the temporary directory
#
# INTERP "nginx" runs the nginx side a second time instead of a native one:
# a check that the scenarios themselves are deterministic.
#
# A case is t/diff/cases/NNN_name.lua whose first line names the peer:
#   -- peer: SCRIPT        build/peer SCRIPT on 127.0.0.1
#   -- peer-unix: SCRIPT   build/peer --unix PATH SCRIPT
#   -- peer: none          no peer; ctx.port is a port nobody listens on
#   -- peer-tls: CERT ARGS  openssl s_server -accept 127.0.0.1:0 -cert CERT.pem
#                          -key CERT.key ARGS, CERT a name of the test PKI
#                          (spec/tls_helper.lua: server, selfsigned, expired,
#                          leaf_int, ...), @PKI@ in ARGS its directory
# The test PKI is made once per run (openssl CLI); nginx trusts its ca.pem
# (lua_ssl_trusted_certificate, lua_ssl_verify_depth 5, lua_ssl_protocols
# TLSv1.2 TLSv1.3) and so do the native sockets (set_luasec_defaults).
# Needs: make peer, make LUA=<interp> for each INTERP, nginx with
# ndk_http_module and ngx_http_lua_module, curl, timeout; openssl for TLS.
#
# Prints "ok - NAME" / "not ok - NAME" (plus " [INTERP]" when given several)
# with a short diff (nginx = -, native = +), then "N passed, N failed";
# exits non-zero when anything failed.

set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

modules=${NGX_MODULES:-/usr/lib/nginx/modules}
nginx_bin=${NGINX:-nginx}
case_timeout=30

if [ $# -eq 0 ]; then
  echo "usage: t/diff/run.sh INTERP..." >&2
  exit 2
fi
interps="$*"

passed=0
failed=0
tmp=""
nginx_pid=""
peer_pid=""

# stop_pid, wait_for, random_port
# shellcheck source=t/lib/proc.sh
. "$root/t/lib/proc.sh"

cleanup() {
  if [ -n "$peer_pid" ]; then stop_pid "$peer_pid"; fi
  if [ -n "$nginx_pid" ]; then stop_pid "$nginx_pid"; fi
  if [ -n "$tmp" ]; then
    if [ "${KEEP:-0}" = 1 ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a failure before any case ran still ends with the closing line
abort() {
  echo "# t/diff: $*"
  echo "0 passed, 1 failed"
  exit 1
}

# ---- prerequisites ---------------------------------------------------------

[ -x build/peer ] || abort "build/peer missing: run make peer"
command -v "$nginx_bin" >/dev/null 2>&1 || abort "nginx not found"
command -v curl >/dev/null 2>&1 || abort "curl not found"
command -v timeout >/dev/null 2>&1 || abort "timeout not found"
for m in ndk_http_module ngx_http_lua_module; do
  [ -f "$modules/$m.so" ] || abort "$modules/$m.so missing (libnginx-mod-http-lua)"
done
for i in $interps; do
  [ "$i" = nginx ] && continue
  command -v "$i" >/dev/null 2>&1 || abort "interpreter $i not found"
  [ -f "build/$i/resty/luasocket/native.so" ] ||
    abort "build/$i/resty/luasocket/native.so missing: run make LUA=$i"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-diff.XXXXXX")
mkdir -p "$tmp/logs" "$tmp/out"

# ---- the test PKI of the TLS cases -------------------------------------------

pki=""
tls_http=""
make_pki() {
  local lua="" i
  command -v openssl >/dev/null 2>&1 || { echo "# no openssl: TLS cases fail"; return 0; }
  for i in $interps luajit lua5.1 lua5.4; do
    [ "$i" != nginx ] && command -v "$i" >/dev/null 2>&1 && { lua=$i; break; }
  done
  [ -n "$lua" ] || { echo "# no Lua interpreter to make the PKI: TLS cases fail"; return 0; }
  mkdir -p "$tmp/pki"
  if timeout 60 "$lua" - "$tmp/pki" >"$tmp/logs/pki" 2>&1 <<'LUA'
package.path = "spec/?.lua;" .. package.path
require("tls_helper").pki((...))
LUA
  then
    pki=$tmp/pki
    tls_http="lua_ssl_trusted_certificate $pki/ca.pem; lua_ssl_verify_depth 5; lua_ssl_protocols TLSv1.2 TLSv1.3;"
  else
    sed 's/^/# pki: /' "$tmp/logs/pki"
  fi
}
make_pki

# ---- the reference: one nginx for the whole run ----------------------------

# ready: our nginx answers, not another one that holds the port (a diff run
# in another tree): its page is its pid. nginx cannot bind port 0 and say
# which it got, so a random port is tried, and it may be taken.
ready() {
  [ "$(curl -s --max-time 2 "http://127.0.0.1:$nginx_port/__ready")" = "$nginx_pid" ]
}

start_nginx() {
  local attempt=0 n
  while [ $attempt -lt 10 ]; do
    attempt=$((attempt + 1))
    nginx_port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    cat > "$tmp/nginx.conf" <<CONF
load_module $modules/ndk_http_module.so;
load_module $modules/ngx_http_lua_module.so;
daemon off;
master_process off;
worker_processes 1;
error_log $tmp/logs/error.log warn;
pid $tmp/logs/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  lua_package_path '$root/t/diff/?.lua;;';
  lua_socket_log_errors off;
  $tls_http
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /__ready { return 200 "\$pid"; }
    location = /case {
      set \$diff_root '$root';
      content_by_lua_block { require("ngx_entry").handle() }
    }
  }
}
CONF
    "$nginx_bin" -p "$tmp" -e "$tmp/logs/error.log" -c "$tmp/nginx.conf" >"$tmp/logs/stdout" 2>&1 &
    nginx_pid=$!
    n=0
    while [ $n -lt 100 ]; do
      ready && return 0
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.05; n=$((n + 1))
    done
    stop_pid "$nginx_pid"
    nginx_pid=""
  done
  cat "$tmp/logs/stdout" "$tmp/logs/error.log" 2>/dev/null | sed 's/^/# /'
  abort "nginx did not start"
}

# ---- the peer of one case --------------------------------------------------

peer_port=""
peer_path=""

# start_tls_peer "CERT ARGS": openssl s_server on 127.0.0.1, a port of its own
start_tls_peer() {
  local cert=${1%% *} args="" n=0 line=""
  [ "$cert" = "$1" ] || args=${1#* }
  [ -n "$pki" ] || { echo "#   no test PKI"; return 1; }
  [ -f "$pki/$cert.pem" ] || { echo "#   no certificate $cert in the test PKI"; return 1; }
  args=${args//@PKI@/$pki}
  rm -f "$tmp/peer.out" "$tmp/peer.in"
  mkfifo "$tmp/peer.in"
  # shellcheck disable=SC2086 # ARGS are words
  openssl s_server -accept 127.0.0.1:0 -cert "$pki/$cert.pem" -key "$pki/$cert.key" $args \
    <>"$tmp/peer.in" >"$tmp/peer.out" 2>"$tmp/peer.err" &
  peer_pid=$!
  while [ $n -lt 250 ]; do
    line=$(grep -m 1 '^ACCEPT 127.0.0.1:' "$tmp/peer.out" 2>/dev/null || true)
    [ -n "$line" ] && { peer_port=${line##*:}; return 0; }
    kill -0 "$peer_pid" 2>/dev/null || break
    sleep 0.02; n=$((n + 1))
  done
  sed 's/^/# s_server: /' "$tmp/peer.err"
  return 1
}

# start_peer MODE SCRIPT: MODE tcp, unix, tls or none
start_peer() {
  local mode=$1 script=$2 n=0 line=""
  peer_port=0
  peer_path="$tmp/no-such.sock"
  [ "$mode" = tls ] && { start_tls_peer "$script"; return; }
  rm -f "$tmp/peer.out" "$tmp/peer.sock"
  if [ "$mode" = unix ]; then
    build/peer --unix "$tmp/peer.sock" --max-seconds 90 "$script" \
      >"$tmp/peer.out" 2>"$tmp/peer.err" &
  elif [ "$mode" = none ]; then
    # a port held without listening for the whole case: connects there are
    # refused, and nothing else can take it meanwhile
    build/peer --no-listen --max-seconds 90 hold >"$tmp/peer.out" 2>"$tmp/peer.err" &
  else
    build/peer --max-seconds 90 "$script" >"$tmp/peer.out" 2>"$tmp/peer.err" &
  fi
  peer_pid=$!
  while [ $n -lt 250 ]; do
    line=$(head -n 1 "$tmp/peer.out" 2>/dev/null || true)
    case "$line" in
      "port "*) peer_port=${line#port }; break ;;
      "unix "*) peer_path=${line#unix }; break ;;
    esac
    kill -0 "$peer_pid" 2>/dev/null || break
    sleep 0.02; n=$((n + 1))
  done
  if [ -z "$line" ]; then
    sed 's/^/# peer: /' "$tmp/peer.err"
    return 1
  fi
  return 0
}

stop_peer() {
  if [ -n "$peer_pid" ]; then stop_pid "$peer_pid"; peer_pid=""; fi
}

# ---- one case ---------------------------------------------------------------

run_nginx_side() { # NAME OUTFILE
  curl -s --max-time "$case_timeout" \
    "http://127.0.0.1:$nginx_port/case?name=$1&port=$peer_port&path=$peer_path" \
    >"$2" 2>/dev/null || echo "(curl failed: status $?)" >>"$2"
}

run_native_side() { # INTERP NAME OUTFILE
  LUA_PATH='lib/?.lua;lib/?/init.lua;;' LUA_CPATH="build/$1/?.so;;" \
    DIFF_TLS_CAFILE=${pki:+$pki/ca.pem} timeout -k 5 "$case_timeout" "$1" t/diff/native_entry.lua "$2" "$peer_port" "$peer_path" \
    >"$3" 2>&1 || echo "(exit status $?)" >>"$3"
}

report() { # RESULT NAME INTERP NGINX_OUT NATIVE_OUT
  local label=$2
  [ "$(echo "$interps" | wc -w)" -gt 1 ] && label="$2 [$3]"
  if [ "$1" = ok ]; then
    passed=$((passed + 1)); echo "ok - $label"
  else
    failed=$((failed + 1)); echo "not ok - $label"
    diff -u "$4" "$5" | sed -n '4,24p' | sed 's/^/#   /' || true
  fi
}

start_nginx

count=0
for file in t/diff/cases/*.lua; do
  name=$(basename "$file" .lua)
  if [ -n "${CASES:-}" ] && ! echo "$name" | grep -Eq -- "$CASES"; then continue; fi
  count=$((count + 1))
  header=$(head -n 1 "$file")
  case "$header" in
    "-- peer: none") mode=none; script="" ;;
    "-- peer: "*) mode=tcp; script=${header#-- peer: } ;;
    "-- peer-unix: "*) mode=unix; script=${header#-- peer-unix: } ;;
    "-- peer-tls: "*) mode=tls; script=${header#-- peer-tls: } ;;
    *) report fail "$name" - /dev/null /dev/null; echo "#   no '-- peer:' header"; continue ;;
  esac
  if ! start_peer "$mode" "$script"; then
    stop_peer
    for i in $interps; do report fail "$name" "$i" /dev/null /dev/null; done
    continue
  fi
  ref="$tmp/out/$name.nginx"
  # every side at once where the peer serves each connection in a process
  # of its own (build/peer forks per connection); one after the other
  # against s_server, which serves one connection at a time, and where the
  # peer records what it received into one file
  together=1
  case "$mode:$script" in tls:* | *record:*) together=0 ;; esac
  sides=()
  if [ $together = 1 ]; then
    run_nginx_side "$name" "$ref" &
    sides+=($!)
  else
    run_nginx_side "$name" "$ref"
  fi
  for i in $interps; do
    got="$tmp/out/$name.$i"
    if [ "$i" = nginx ]; then
      run_nginx_side "$name" "$got"
    elif [ $together = 1 ]; then
      run_native_side "$i" "$name" "$got" &
      sides+=($!)
    else
      run_native_side "$i" "$name" "$got"
    fi
  done
  for pid in "${sides[@]}"; do wait "$pid" || true; done
  for i in $interps; do
    got="$tmp/out/$name.$i"
    if cmp -s "$ref" "$got"; then
      report ok "$name" "$i" "$ref" "$got"
    else
      report fail "$name" "$i" "$ref" "$got"
    fi
  done
  stop_peer
done

[ $count -gt 0 ] || abort "no case matched"
if ! kill -0 "$nginx_pid" 2>/dev/null; then
  echo "# nginx died during the run"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
