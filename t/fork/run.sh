#!/bin/sh
# t/fork/run.sh: fork safety of the keepalive pool inside a real nginx.
#
# nginx's master runs init_by_lua, then forks its workers: the connections
# the master pooled there (TCP by host:port, TCP by pool name, unix, TLS)
# are copied into every worker. Each worker's init_worker_by_lua connects to
# the same pools and must get fresh connections (getreusedtimes() == 0, a
# new connection at the peer, its copies of the master's sockets closed),
# while a connection it pools itself is reused. The master's connections
# must come through untouched: still held by the master, still established
# (a TLS close_notify sent by a worker would make the server hang up).
#
# Everything runs under a temporary prefix on 127.0.0.1 (and a unix socket
# in it), every process is stopped by its PID and every wait is bounded.
#
#   sh t/fork/run.sh            (builds build/luajit and build/peer first)
#   KEEP=1 sh t/fork/run.sh     keeps the temporary prefix for a look
#
# Prints "ok - name" / "not ok - name", then "N passed, N failed"; exits
# non-zero when anything failed. Needs nginx, libnginx-mod-http-lua, curl,
# openssl.

set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
modules=${NGX_MODULES:-/usr/lib/nginx/modules}
nginx_bin=${NGINX:-nginx}

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
check() { # check CONDITION-STATUS NAME
  if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
}

dir=""
nginx_pid=""
pids=""

stop_pid() { # TERM, wait up to 5 s, then KILL
  kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null
  i=0
  while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -9 "$1" 2>/dev/null
  return 0
}

cleanup() {
  [ -n "$nginx_pid" ] && stop_pid "$nginx_pid"
  for p in $pids; do stop_pid "$p"; done
  [ -n "$dir" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
  if [ $failed -ne 0 ] && [ -n "$dir" ] && [ -f "$dir/logs/error.log" ]; then
    echo "# error.log:"
    sed 's/^/#   /' "$dir/logs/error.log"
  fi
  [ -n "$dir" ] && [ "${KEEP:-0}" = 1 ] && echo "# kept $dir"
  echo "$passed passed, $failed failed"
  [ $failed -eq 0 ] && exit 0
  exit 1
}

# wait_for SECONDS COMMAND...: retry COMMAND every 0.1 s until it succeeds
wait_for() {
  n=$(($1 * 10)); shift
  while [ $n -gt 0 ]; do
    "$@" && return 0
    sleep 0.1; n=$((n - 1))
  done
  return 1
}

# ---- prerequisites ---------------------------------------------------------

missing=""
command -v "$nginx_bin" >/dev/null 2>&1 || missing="$missing nginx"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
for m in ndk_http_module ngx_http_lua_module; do
  [ -f "$modules/$m.so" ] || missing="$missing $modules/$m.so"
done
if [ -n "$missing" ]; then
  not_ok "prerequisites present (missing:$missing; see .ci/run)"
  finish
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/luasocket-fork.XXXXXX") || exit 1
mkdir -p "$dir/logs" "$dir/tmp"

# nginx's ngx_lua runs LuaJIT, so it loads the luajit build of the module
if make -C "$root" --no-print-directory LUA=luajit module peer >"$dir/build.log" 2>&1; then
  ok "build: make LUA=luajit module peer"
else
  not_ok "build: make LUA=luajit module peer"
  sed 's/^/#   /' "$dir/build.log"
  finish
fi

# ---- peers -----------------------------------------------------------------

first_line() { head -n 1 "$1" 2>/dev/null; }
has_line() { [ -n "$(first_line "$1")" ]; }

# every connection answers its first line with "first", its second with
# "second": a reused connection says "second", a fresh one "first"
script='recvline;send:first\n;recvline;send:second\n;recvline;send:third\n;hold'

"$root/build/peer" --max-seconds 120 "$script" >"$dir/peer-seq.out" 2>&1 &
pids="$pids $!"
"$root/build/peer" --max-seconds 120 --unix "$dir/peer.sock" "$script" \
  >"$dir/peer-unix.out" 2>&1 &
pids="$pids $!"
if wait_for 5 has_line "$dir/peer-seq.out" && wait_for 5 has_line "$dir/peer-unix.out"; then
  seq_port=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$dir/peer-seq.out")
  ok "peers started"
else
  not_ok "peers started"
  finish
fi

# a TLS server that echoes lines reversed and hangs up on close_notify
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
     -keyout "$dir/tls.key" -out "$dir/tls.pem" -days 2 -subj /CN=localhost \
     >"$dir/openssl.log" 2>&1; then
  mkfifo "$dir/tls.stdin"
  (cd "$dir" && exec openssl s_server -accept 127.0.0.1:0 -cert tls.pem \
     -key tls.key -rev <>tls.stdin >tls.out 2>tls.err) &
  pids="$pids $!"
  tls_port=""
  tls_port_of() {
    tls_port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$dir/tls.out" 2>/dev/null)
    [ -n "$tls_port" ]
  }
  if wait_for 10 tls_port_of; then
    ok "TLS server started"
  else
    not_ok "TLS server started"
    finish
  fi
else
  not_ok "test certificate made"
  sed 's/^/#   /' "$dir/openssl.log"
  finish
fi

results="$dir/results"
: >"$results"
cat >"$dir/fork_env.lua" <<EOF2
return {
  results = [[$results]],
  seq_port = $seq_port,
  unix_path = [[$dir/peer.sock]],
  tls_port = $tls_port,
}
EOF2

# ---- nginx -----------------------------------------------------------------

# as root, nginx would run its workers as nobody, who may not read this tree
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root root;"

url=""
ready() { curl -s -o /dev/null --max-time 2 "$url/ready"; }
alive() { kill -0 "$nginx_pid" 2>/dev/null; }
ready_or_dead() { ready || ! alive; }

for _ in 1 2 3 4 5; do
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
  url="http://127.0.0.1:$port"
  sed -e "s|@USER@|$user_line|" -e "s|@MODULES@|$modules|g" \
      -e "s|@PREFIX@|$dir|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" \
      "$root/t/fork/nginx.conf.in" >"$dir/nginx.conf"
  : >"$dir/logs/error.log"
  : >"$results"
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" >"$dir/logs/stderr" 2>&1 &
  nginx_pid=$!
  wait_for 10 ready_or_dead
  if alive && ready; then break; fi
  stop_pid "$nginx_pid"
  nginx_pid=""
  grep -q "Address already in use" "$dir/logs/error.log" "$dir/logs/stderr" || break
done
if [ -z "$nginx_pid" ]; then
  not_ok "nginx started"
  sed 's/^/#   /' "$dir/logs/stderr"
  finish
fi
ok "nginx started on 127.0.0.1:$port with 2 workers"

done_workers() { [ "$(grep -c '^done worker ' "$results")" -ge 2 ]; }
wait_for 15 done_workers
check $? "both workers ran their checks to the end"

# ---- what the master and the workers reported --------------------------------

grep -q '^done init$' "$results"
check $? "init: its checks ran to the end"

grep -E '^(not )?ok - ' "$results" >"$dir/checks"
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "${line#ok - }" ;;
    *) not_ok "${line#not ok - }" ;;
  esac
done <"$dir/checks"

master=$(sed -n 's/^master \([0-9][0-9]*\)$/\1/p' "$results")
[ "$master" = "$nginx_pid" ]
check $? "init ran in the master process ($master, nginx $nginx_pid)"

workers=$(sed -n 's/^worker [0-9]* \([0-9][0-9]*\)$/\1/p' "$results" | sort -u)
n_workers=$(echo "$workers" | grep -c .)
[ "$n_workers" -eq 2 ] && ! echo "$workers" | grep -qx "$nginx_pid"
check $? "two worker processes, neither the master ($(echo $workers))"

holds() { # holds PID INODE: does process PID have the socket open?
  for f in "/proc/$1/fd/"*; do
    [ "$(readlink "$f" 2>/dev/null)" = "socket:[$2]" ] && return 0
  done
  return 1
}
# the state of a TCP socket by inode: 01 established, 08 close-wait, ...
tcp_state() {
  awk -v ino="$1" '$10 == ino { print $4; exit }' /proc/net/tcp /proc/net/tcp6
}
not_established() { [ "$(tcp_state "$1")" != 01 ]; }

for name in host_port named_pool unix tls; do
  inode=$(sed -n "s/^inode $name \([0-9][0-9]*\)$/\1/p" "$results")
  if [ -z "$inode" ]; then
    not_ok "master's $name connection: inode reported"
    continue
  fi
  holds "$nginx_pid" "$inode"
  check $? "master's $name connection: still held by the master"
  for w in $workers; do
    ! holds "$w" "$inode"
    check $? "master's $name connection: not held by worker $w"
  done
  if [ "$name" != unix ]; then
    # a hang-up from the peer would show within a second
    wait_for 1 not_established "$inode"
    state=$(tcp_state "$inode")
    [ "$state" = 01 ]
    check $? "master's $name connection: still established (state $state)"
  fi
done

grep -qE '\[(error|crit|alert|emerg)\]' "$dir/logs/error.log" "$dir/logs/stderr"
[ $? -ne 0 ]
check $? "error.log: no error, crit, alert or emerg lines"

stop_pid "$nginx_pid"
if alive; then not_ok "nginx stopped by SIGTERM"; else ok "nginx stopped by SIGTERM"; fi
nginx_pid=""

finish
