#!/bin/sh
# t/phase/run.sh: resty.luasocket inside a real nginx + ngx_lua.
#
# Starts two test peers (build/peer) and an nginx whose every phase runs
# t/phase/phase_cases.lua, then checks what each phase reported and what
# error.log says. Everything runs under a temporary prefix on 127.0.0.1 and
# is stopped by PID; every wait is bounded.
#
#   sh t/phase/run.sh            (builds build/luajit and build/peer first)
#   KEEP=1 sh t/phase/run.sh     keeps the temporary prefix for a look
#
# Prints "ok - name" / "not ok - name", then "N passed, N failed"; exits
# non-zero when anything failed. Needs nginx, libnginx-mod-http-lua, curl.

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
peer_pids=""

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
  for p in $peer_pids; do stop_pid "$p"; done
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
for m in ndk_http_module ngx_http_lua_module; do
  [ -f "$modules/$m.so" ] || missing="$missing $modules/$m.so"
done
if [ -n "$missing" ]; then
  not_ok "prerequisites present (missing:$missing; see .ci/run)"
  finish
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/luasocket-phase.XXXXXX") || exit 1
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

port_of() { sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$1" 2>/dev/null; }
has_port() { [ -n "$(port_of "$1")" ]; }

start_peer() { # start_peer NAME SCRIPT: sets $peer_port
  "$root/build/peer" --max-seconds 120 "$2" >"$dir/peer-$1.out" 2>&1 &
  peer_pids="$peer_pids $!"
  if wait_for 5 has_port "$dir/peer-$1.out"; then
    peer_port=$(port_of "$dir/peer-$1.out")
  else
    not_ok "peer $1 started"
    finish
  fi
}

start_peer echo 'echo'
echo_port=$peer_port
start_peer slow 'sleep:300;send:late\n'
slow_port=$peer_port

results="$dir/results"
: >"$results"
cat >"$dir/phase_env.lua" <<EOF
return {
  results = [[$results]],
  echo_port = $echo_port,
  slow_port = $slow_port,
}
EOF

# ---- nginx -----------------------------------------------------------------

# as root, nginx would run its worker as nobody, who may not read this tree
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root root;"

url=""
ready() { curl -s -o /dev/null --max-time 2 "$url/ready"; }
alive() { kill -0 "$nginx_pid" 2>/dev/null; }
ready_or_dead() { ready || ! alive; }

for attempt in 1 2 3 4 5; do
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
  url="http://127.0.0.1:$port"
  sed -e "s|@USER@|$user_line|" -e "s|@MODULES@|$modules|g" \
      -e "s|@PREFIX@|$dir|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" \
      "$root/t/phase/nginx.conf.in" >"$dir/nginx.conf"
  : >"$dir/logs/error.log"
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
ok "nginx started on 127.0.0.1:$port"

has_line() { grep -qx "$1" "$results"; }

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
stop_pid "$nginx_pid"
if alive; then not_ok "nginx stopped by SIGTERM"; else ok "nginx stopped by SIGTERM"; fi
nginx_pid=""

# ---- what the phases reported ------------------------------------------------

# init runs while nginx reads its configuration, before error.log is open:
# what it logs goes to stderr, so both count as the log
log="$dir/logs/all.log"
cat "$dir/logs/stderr" "$dir/logs/error.log" >"$log"
grep -E '^(not )?ok - ' "$results" >"$dir/checks"
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "${line#ok - }" ;;
    *) not_ok "${line#not ok - }" ;;
  esac
done <"$dir/checks"

for phase in init init_worker timer set rewrite access content header_filter \
             body_filter log exit_worker; do
  has_line "done $phase"
  check $? "$phase: its checks ran to the end"
done

# one WARN line per native socket made outside init, INFO when forced
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

grep -qE '\[(error|crit|alert|emerg)\]' "$log"
[ $? -ne 0 ]
check $? "error.log: no error, crit, alert or emerg lines"

finish
