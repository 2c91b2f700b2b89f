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
# in it), every process is stopped by its PID and every wait is bounded
# (t/lib/harness.sh).
#
#   sh t/fork/run.sh            (builds build/luajit and build/peer first)
#   KEEP=1 sh t/fork/run.sh     keeps the temporary prefix for a look
#
# Prints "ok - name" / "not ok - name", then "N passed, N failed"; exits
# non-zero when anything failed. Needs nginx, libnginx-mod-http-lua, curl,
# openssl.

set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=t/lib/harness.sh
. "$root/t/lib/harness.sh"

# ---- prerequisites ---------------------------------------------------------

need_cmd "$nginx_bin" nginx
need_cmd curl
need_cmd openssl
need_ngx_lua
check_prerequisites "see .ci/run"

make_prefix fork
make_luajit module peer

# ---- peers -----------------------------------------------------------------

# every connection answers its first line with "first", its second with
# "second": a reused connection says "second", a fresh one "first"
script='recvline;send:first\n;recvline;send:second\n;recvline;send:third\n;hold'

spawn_peer seq "$script"
spawn_peer unix --unix "$dir/peer.sock" "$script"
if wait_for 5 peer_up seq && wait_for 5 peer_up unix; then
  seq_port=$(peer_port seq)
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
  # shellcheck disable=SC2317 # called by wait_for
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
  show "$dir/openssl.log"
  finish
fi

write_env fork seq_port="$seq_port" unix_path="[[$dir/peer.sock]]" tls_port="$tls_port"

# ---- nginx -----------------------------------------------------------------

# init_by_lua writes $results while nginx starts: empty it before each try
start_nginx "$root/t/fork/nginx.conf.in" "$results" || { show "$dir/logs/stderr"; finish; }
ok "nginx started on 127.0.0.1:$port with 2 workers"

# shellcheck disable=SC2317 # called by wait_for
done_workers() { [ "$(grep -c '^done worker ' "$results")" -ge 2 ]; }
wait_for 15 done_workers
check $? "both workers ran their checks to the end"

# ---- what the master and the workers reported --------------------------------

check_done init
report_results

master=$(sed -n 's/^master \([0-9][0-9]*\)$/\1/p' "$results")
[ "$master" = "$nginx_pid" ]
check $? "init ran in the master process ($master, nginx $nginx_pid)"

workers=$(sed -n 's/^worker [0-9]* \([0-9][0-9]*\)$/\1/p' "$results" | sort -u)
n_workers=$(echo "$workers" | grep -c .)
[ "$n_workers" -eq 2 ] && ! echo "$workers" | grep -qx "$nginx_pid"
# shellcheck disable=SC2086,SC2116 # the PIDs on one line
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
# shellcheck disable=SC2317 # called by wait_for
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

check_no_errors "$dir/logs/error.log" "$dir/logs/stderr"

stop_nginx

finish
