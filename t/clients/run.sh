#!/bin/sh
# t/clients/run.sh: unmodified lua-resty clients inside a real nginx.
#
# Starts a redis-server and a memcached of its own, then an nginx whose
# init_worker_by_lua loads Debian's lua-nginx-redis and lua-nginx-memcached
# with resty.luasocket.load() and runs commands on native sockets (init_worker
# has no cosockets), with set_keepalive between requests; a content_by_lua
# location runs the same loaded modules on real cosockets. The Lua side
# (t/clients/clients_cases.lua) writes ok / not ok lines to a results file,
# which this script reads along with error.log. Everything listens on
# 127.0.0.1 on random ports, runs under a temporary prefix, and is stopped by
# PID; every wait is bounded.
#
#   sh t/clients/run.sh          (builds build/luajit first)
#   KEEP=1 sh t/clients/run.sh   keeps the temporary prefix for a look
#
# Prints "ok - name" / "not ok - name", then "N passed, N failed"; exits
# non-zero when anything failed. Needs nginx, libnginx-mod-http-lua, curl,
# redis-server, memcached, lua-nginx-redis, lua-nginx-memcached.

set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
modules=${NGX_MODULES:-/usr/lib/nginx/modules}
nginx_bin=${NGINX:-nginx}
clients=/usr/share/lua/5.1/nginx

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
check() { # check CONDITION-STATUS NAME
  if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
}

dir=""
nginx_pid=""
server_pids=""

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
  for p in $server_pids; do stop_pid "$p"; done
  [ -n "$dir" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
  if [ $failed -ne 0 ] && [ -n "$dir" ]; then
    for f in logs/stderr logs/error.log redis.log memcached.log; do
      [ -s "$dir/$f" ] || continue
      echo "# $f:"
      sed 's/^/#   /' "$dir/$f"
    done
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

random_port() {
  echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
}

# ask PORT REQUEST: what the server on 127.0.0.1:PORT answers to REQUEST
# (printf escapes; end it with a command that makes the server close), CRs
# removed; at most 2 s
ask() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "$1" >&3 && cat <&3' \
    "$1" "$2" 2>/dev/null | tr -d '\r'
}
listening() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null; }

# the PID the server on PORT reports: tells our server from anything else
redis_pid_on() { ask "$1" 'INFO server\r\nQUIT\r\n' | sed -n 's/^process_id://p'; }
memcached_pid_on() { ask "$1" 'stats\r\nquit\r\n' | sed -n 's/^STAT pid //p'; }

# ---- prerequisites ---------------------------------------------------------

missing=""
for c in "$nginx_bin" curl redis-server memcached timeout bash; do
  command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
for f in "$modules/ndk_http_module.so" "$modules/ngx_http_lua_module.so" \
         "$clients/redis.lua" "$clients/memcached.lua"; do
  [ -f "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
  not_ok "prerequisites present (missing:$missing; run tools/deps.sh)"
  finish
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/luasocket-clients.XXXXXX") || exit 1
mkdir -p "$dir/logs" "$dir/tmp" "$dir/redis"

# nginx's ngx_lua runs LuaJIT, so it loads the luajit build of the module
if make -C "$root" --no-print-directory LUA=luajit module >"$dir/build.log" 2>&1; then
  ok "build: make LUA=luajit module"
else
  not_ok "build: make LUA=luajit module"
  sed 's/^/#   /' "$dir/build.log"
  finish
fi

# ---- redis-server and memcached --------------------------------------------

# start_server KIND: sets $server_port; KIND is redis or memcached. A random
# port that nothing listens on; if the server cannot take it after all, it
# exits at once: try another (5 attempts, each waiting at most 10 s).
start_server() {
  kind=$1
  server_port=""
  for attempt in 1 2 3 4 5; do
    port=$(random_port)
    listening "$port" && continue
    : >"$dir/$kind.log"
    case $kind in
      redis)
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
          --daemonize no --protected-mode yes --dir "$dir/redis" \
          --logfile "$dir/redis.log" &
        ;;
      memcached)
        # -U 0: no UDP; -u: memcached refuses to run as root without it
        memcached -l 127.0.0.1 -p "$port" -U 0 -m 16 -c 64 -t 1 -u "$(id -un)" \
          >"$dir/memcached.log" 2>&1 &
        ;;
    esac
    pid=$!
    server_pids="$server_pids $pid"
    n=100
    while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
      [ "$("${kind}_pid_on" "$port")" = "$pid" ] && { server_port=$port; break 2; }
      sleep 0.1; n=$((n - 1))
    done
    stop_pid "$pid"
  done
  [ -n "$server_port" ]
}

if start_server redis; then
  redis_port=$server_port
  ok "redis-server started on 127.0.0.1:$redis_port"
else
  not_ok "redis-server started"
  finish
fi
if start_server memcached; then
  memcached_port=$server_port
  ok "memcached started on 127.0.0.1:$memcached_port"
else
  not_ok "memcached started"
  finish
fi

results="$dir/results"
: >"$results"
cat >"$dir/clients_env.lua" <<EOF
return {
  results = [[$results]],
  redis_port = $redis_port,
  memcached_port = $memcached_port,
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
  port=$(random_port)
  listening "$port" && continue
  url="http://127.0.0.1:$port"
  sed -e "s|@USER@|$user_line|" -e "s|@MODULES@|$modules|g" \
      -e "s|@PREFIX@|$dir|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" \
      "$root/t/clients/nginx.conf.in" >"$dir/nginx.conf"
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
  finish
fi
ok "nginx started on 127.0.0.1:$port"

has_line() { grep -qx "$1" "$results"; }

# the worker runs init_worker before it serves; wait for it all the same
wait_for 10 has_line "done init_worker"

body=$(curl -s --max-time 10 "$url/content")
[ "$body" = "content done" ]
check $? "GET /content answers \"content done\" (got \"$body\")"

stop_pid "$nginx_pid"
if alive; then not_ok "nginx stopped by SIGTERM"; else ok "nginx stopped by SIGTERM"; fi
nginx_pid=""

# ---- what the phases reported ------------------------------------------------

grep -E '^(not )?ok - ' "$results" >"$dir/checks"
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "${line#ok - }" ;;
    *) not_ok "${line#not ok - }" ;;
  esac
done <"$dir/checks"

for phase in init_worker content; do
  has_line "done $phase"
  check $? "$phase: its checks ran to the end"
done

log="$dir/logs/all.log"
cat "$dir/logs/stderr" "$dir/logs/error.log" >"$log"

# one WARN line per native socket, none where cosockets were used
while read -r _ phase want; do
  got=$(grep -c "\[warn\].*cosockets unavailable in phase $phase, using a blocking socket" "$log")
  [ "$got" -eq "$want" ]
  check $? "error.log: $phase made $want native sockets, one WARN line each (got $got)"
done <<EOF
$(grep '^native ' "$results")
EOF

grep -qE '\[(error|crit|alert|emerg)\]' "$log"
[ $? -ne 0 ]
check $? "error.log: no error, crit, alert or emerg lines"

finish
