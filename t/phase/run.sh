#!/bin/sh
# t/phase/run.sh: resty.luasocket inside a real nginx + ngx_lua.
#
# Starts two test peers (build/peer) and an nginx whose every phase runs
# t/phase/phase_cases.lua, then checks what each phase reported and what
# error.log says. Everything runs under a temporary prefix on 127.0.0.1 and
# is stopped by PID; every wait is bounded (t/lib/harness.sh).
#
#   sh t/phase/run.sh            (builds build/luajit and build/peer first)
#   KEEP=1 sh t/phase/run.sh     keeps the temporary prefix for a look
#
# Prints "ok - name" / "not ok - name", then "N passed, N failed"; exits
# non-zero when anything failed. Needs nginx, libnginx-mod-http-lua, curl.

set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=t/lib/harness.sh
. "$root/t/lib/harness.sh"

# ---- prerequisites ---------------------------------------------------------

need_cmd "$nginx_bin" nginx
need_cmd curl
need_ngx_lua
check_prerequisites "see .ci/run"

make_prefix phase
make_luajit module peer

# ---- peers -----------------------------------------------------------------

start_peer() { # start_peer NAME SCRIPT: sets $peer_port
  spawn_peer "$1" "$2"
  if wait_for 5 has_peer_port "$1"; then
    peer_port=$(peer_port "$1")
  else
    not_ok "peer $1 started"
    finish
  fi
}

start_peer echo 'echo'
echo_port=$peer_port
start_peer slow 'sleep:300;send:late\n'
slow_port=$peer_port

write_env phase echo_port="$echo_port" slow_port="$slow_port"

# ---- nginx -----------------------------------------------------------------

# init runs once per try, before nginx binds its port: each try empties
# $results, so that a try lost to a port in use counts nothing

start_nginx "$root/t/phase/nginx.conf.in" "$results" || { show "$dir/logs/stderr"; finish; }
ok "nginx started on 127.0.0.1:$port"

# init and init_worker ran before nginx answered; the timer follows shortly
wait_for 10 has_line "done timer"

get() { # get PATH WANT-BODY
  body=$(curl -s --max-time 10 "$url$1")
  [ "$body" = "$2" ]
  check $? "GET $1 answers \"$2\""
}
get /set set
get /rewrite rewrite
get /access access
get /content "content done"
get /filters filters
get /log log

# the log phase runs after the response went out
wait_for 10 has_line "done log"

# exit_worker runs while nginx stops
stop_nginx

# ---- what the phases reported ------------------------------------------------

# init logs before error.log is open: stderr and error.log count as the log
collect_log
report_results
check_done init init_worker timer set rewrite access content header_filter \
           body_filter log exit_worker

# a WARN line for the 1st, 10th, 100th, ... native socket of each phase
# outside init, INFO when forced
expected_total=0
grep '^expect ' "$results" >"$dir/expect"
while read -r _ phase warn info; do
  got_warn=$(grep -c "\[warn\].*cosockets unavailable in phase $phase, using a blocking socket" "$log")
  got_info=$(grep -c "\[info\].*resty.luasocket forced in phase $phase, using a blocking socket" "$log")
  [ "$got_warn" -eq "$warn" ] && [ "$got_info" -eq "$info" ]
  check $? "error.log: $phase has $warn WARN and $info INFO lines (got $got_warn and $got_info)"
  expected_total=$((expected_total + warn + info))
done <"$dir/expect"

got_total=$(grep -c "using a blocking socket" "$log")
[ "$got_total" -eq "$expected_total" ]
check $? "error.log: no other fallback lines ($got_total in all)"

# a native socket's failures are logged as ngx_lua logs a cosocket's
grep -q '\[crit\].*connect() to unix:/nonexistent/luasocket-phase.sock failed (2: No such file or directory)' "$log"
check $? "error.log: a native connect to a missing unix path is logged at crit, as ngx_lua logs it"
grep -q '\[error\].*lua tcp socket read timed out' "$log"
check $? "error.log: a native read timeout is logged, as ngx_lua logs it"
! grep -q 'luasocket-phase-quiet.sock' "$log"
check $? "error.log: nothing once set_log_errors(false)"
grep -v -e 'luasocket-phase.sock failed' -e 'lua tcp socket read timed out' "$log" >"$log.rest"
check_no_errors "$log.rest"

finish
