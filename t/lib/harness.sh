# shellcheck shell=sh
# t/lib/harness.sh: what the runners that start a real nginx share
# (t/phase/run.sh, t/clients/run.sh, t/fork/run.sh). POSIX sh, sourced after
# set -u and root:
#
#   root=$(cd "$(dirname "$0")/../.." && pwd)
#   . "$root/t/lib/harness.sh"
#
# It counts the tests (ok, not_ok, check; finish prints "N passed, N failed"
# and exits 0 only when nothing failed), makes the temporary nginx prefix
# $dir, starts build/peer and nginx on 127.0.0.1, bounds every wait, and when
# the runner exits stops nginx and every PID in $pids by its PID and removes
# $dir (KEEP=1 keeps it).
#
# Sets: modules, nginx_bin, passed, failed, dir, results, pids (a runner adds
# the PIDs it starts), nginx_pid, port, url, log, missing.
# A runner may redefine show_logs (what finish prints after a failure) and
# pick_port (how a port is chosen).

: "${root:?set root before sourcing t/lib/harness.sh}"
modules=${NGX_MODULES:-/usr/lib/nginx/modules}
nginx_bin=${NGINX:-nginx}

# ---- counting --------------------------------------------------------------

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
check() { # check CONDITION-STATUS NAME
  if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
}

# show FILE: FILE's lines as comments of the output
show() { sed 's/^/#   /' "$1"; }

# show_logs: what finish prints after a failure; a runner may redefine it
show_logs() {
  [ -f "$dir/logs/error.log" ] || return 0
  echo "# error.log:"
  show "$dir/logs/error.log"
}

# finish: the logs if anything failed, the closing line, then exit (0: all ok)
finish() {
  if [ $failed -ne 0 ] && [ -n "$dir" ]; then show_logs; fi
  [ -n "$dir" ] && [ "${KEEP:-0}" = 1 ] && echo "# kept $dir"
  echo "$passed passed, $failed failed"
  [ $failed -eq 0 ] && exit 0
  exit 1
}

# ---- processes -------------------------------------------------------------

dir=""
results=""
log=""
pids=""       # what cleanup stops: a runner adds each process it starts
nginx_pid=""

# stop_pid, wait_for, random_port
# shellcheck source=t/lib/proc.sh
. "$root/t/lib/proc.sh"

# cleanup: on any exit, nothing we started keeps running; $dir goes unless KEEP=1
cleanup() {
  [ -n "$nginx_pid" ] && stop_pid "$nginx_pid"
  for p in $pids; do stop_pid "$p"; done
  [ -n "$dir" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- prerequisites ---------------------------------------------------------

missing=""
# need_cmd COMMAND [NAME]: NAME (COMMAND) is missing unless COMMAND is found
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing ${2:-$1}"; }
# need_file FILE: FILE is missing unless it exists
need_file() { [ -f "$1" ] || missing="$missing $1"; }
# need_ngx_lua: the dynamic modules that load ngx_lua into nginx
need_ngx_lua() {
  need_file "$modules/ndk_http_module.so"
  need_file "$modules/ngx_http_lua_module.so"
}
# check_prerequisites HINT: if anything is missing, one failed test and finish
check_prerequisites() {
  [ -z "$missing" ] && return 0
  not_ok "prerequisites present (missing:$missing; $1)"
  finish
}

# ---- the prefix, the build, the Lua side's settings ------------------------

# make_prefix NAME: $dir, a temporary nginx prefix (logs/, tmp/), and its
# empty $results file, where the Lua side reports
make_prefix() {
  dir=$(mktemp -d "${TMPDIR:-/tmp}/luasocket-$1.XXXXXX") || exit 1
  mkdir -p "$dir/logs" "$dir/tmp"
  results="$dir/results"
  : >"$results"
}

# make_luajit TARGET...: one test; nginx's ngx_lua runs LuaJIT, so it loads
# the luajit build of the module. A failed build shows its log and finishes.
make_luajit() {
  if make -C "$root" --no-print-directory LUA=luajit "$@" >"$dir/build.log" 2>&1; then
    ok "build: make LUA=luajit $*"
  else
    not_ok "build: make LUA=luajit $*"
    show "$dir/build.log"
    finish
  fi
}

# write_env NAME KEY=LUA...: $dir/NAME_env.lua, which the Lua side requires:
# a table with results (the path of $results) and each KEY, LUA its value
write_env() {
  env_file="$dir/$1_env.lua"; shift
  {
    echo "return {"
    printf '  results = [[%s]],\n' "$results"
    for kv in "$@"; do printf '  %s = %s,\n' "${kv%%=*}" "${kv#*=}"; done
    echo "}"
  } >"$env_file"
}

# ---- peers -----------------------------------------------------------------

# spawn_peer NAME ARG...: build/peer ARG... in the background (at most
# 120 s), its output in $dir/peer-NAME.out, its PID in $pids
spawn_peer() {
  peer_out="$dir/peer-$1.out"; shift
  "$root/build/peer" --max-seconds 120 "$@" >"$peer_out" 2>&1 &
  pids="$pids $!"
}
# peer_port NAME: the port peer NAME said it listens on; empty until then
peer_port() { sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$dir/peer-$1.out" 2>/dev/null; }
# has_peer_port NAME: has peer NAME said its port yet?
has_peer_port() { [ -n "$(peer_port "$1")" ]; }
# peer_up NAME: has peer NAME said where it listens (a port or a path)?
peer_up() { [ -n "$(head -n 1 "$dir/peer-$1.out" 2>/dev/null)" ]; }

# ---- nginx -----------------------------------------------------------------

# pick_port: sets $port for the next try; false skips the try (a runner may
# redefine it to pass over ports that are in use)
pick_port() { port=$(random_port); }

url=""
port=""
port2=""
# ready: does our nginx answer? Its /ready says the worker's PID ($pid):
# the master's own, or a child of it (another nginx on the port, left by
# another run, must not pass). alive: is it running? ready_or_dead: either
# way, done waiting.
ready() {
  ready_pid=$(curl -s --max-time 2 "$url/ready") || return 1
  [ -n "$ready_pid" ] || return 1
  [ "$ready_pid" = "$nginx_pid" ] ||
    [ "$(awk '{print $4}' "/proc/$ready_pid/stat" 2>/dev/null)" = "$nginx_pid" ]
}
alive() { kill -0 "$nginx_pid" 2>/dev/null; }
ready_or_dead() { ready || ! alive; }

# start_nginx TEMPLATE [FILE...]: nginx under $dir, its nginx.conf TEMPLATE
# with @USER@ @MODULES@ @PREFIX@ @ROOT@ @PORT@ @PORT2@ filled in, on
# 127.0.0.1:$port (and $port2, a second port for a template that needs
# one); sets $port, $port2, $url and $nginx_pid. Empties error.log and each
# FILE before a try; up to 5 tries, another only while a port was in use,
# each waiting at most $nginx_start_wait seconds (default 10). On failure
# one failed test "nginx started", and status 1.
start_nginx() {
  template=$1; shift
  # as root, nginx would run its workers as nobody, who may not read this tree
  user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user root root;"
  for _ in 1 2 3 4 5; do
    pick_port || continue
    port2=$(random_port)
    [ "$port2" != "$port" ] || continue
    url="http://127.0.0.1:$port"
    sed -e "s|@USER@|$user_line|" -e "s|@MODULES@|$modules|g" \
        -e "s|@PREFIX@|$dir|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" \
        -e "s|@PORT2@|$port2|g" "$template" >"$dir/nginx.conf"
    : >"$dir/logs/error.log"
    for f in "$@"; do : >"$f"; done
    "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" >"$dir/logs/stderr" 2>&1 &
    nginx_pid=$!
    wait_for "${nginx_start_wait:-10}" ready_or_dead
    if alive && ready; then return 0; fi
    stop_pid "$nginx_pid"
    nginx_pid=""
    grep -q "Address already in use" "$dir/logs/error.log" "$dir/logs/stderr" || break
  done
  not_ok "nginx started"
  return 1
}

# stop_nginx: SIGTERM (exit_worker runs while nginx stops), one test that it did
stop_nginx() {
  stop_pid "$nginx_pid"
  if alive; then not_ok "nginx stopped by SIGTERM"; else ok "nginx stopped by SIGTERM"; fi
  nginx_pid=""
}

# ---- what the Lua side reported --------------------------------------------

# has_line LINE: did the Lua side write LINE to $results?
has_line() { grep -qx "$1" "$results"; }

# check_done NAME...: one test each, that the Lua side wrote "done NAME"
check_done() {
  for what in "$@"; do
    has_line "done $what"
    check $? "$what: its checks ran to the end"
  done
}

# report_results: the "ok - ..." / "not ok - ..." lines of $results, as tests
report_results() {
  grep -E '^(not )?ok - ' "$results" >"$dir/checks"
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) ok "${line#ok - }" ;;
      *) not_ok "${line#not ok - }" ;;
    esac
  done <"$dir/checks"
}

# collect_log: $log, nginx's stderr and error.log in one file: init_by_lua
# runs before error.log is open, so what it logs goes to stderr
collect_log() {
  log="$dir/logs/all.log"
  cat "$dir/logs/stderr" "$dir/logs/error.log" >"$log"
}

# check_no_errors FILE...: one test, that no FILE has an error, crit, alert or
# emerg line
check_no_errors() {
  ! grep -qE '\[(error|crit|alert|emerg)\]' "$@"
  check $? "error.log: no error, crit, alert or emerg lines"
}
