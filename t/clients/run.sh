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
# PID; every wait is bounded (t/lib/harness.sh).
#
#   sh t/clients/run.sh          (builds build/luajit first)
#   KEEP=1 sh t/clients/run.sh   keeps the temporary prefix for a look
#
# Prints "ok - name" / "not ok - name", then "N passed, N failed"; exits
# non-zero when anything failed. Needs nginx, libnginx-mod-http-lua, curl,
# redis-server, memcached, lua-nginx-redis, lua-nginx-memcached.

set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=t/lib/harness.sh
. "$root/t/lib/harness.sh"
clients=/usr/share/lua/5.1/nginx

# the logs of the servers too, and nginx's stderr, each only when not empty
show_logs() {
  for f in logs/stderr logs/error.log redis.log memcached.log; do
    [ -s "$dir/$f" ] || continue
    echo "# $f:"
    show "$dir/$f"
  done
}

# ask PORT REQUEST: what the server on 127.0.0.1:PORT answers to REQUEST
# (printf escapes; end it with a command that makes the server close), CRs
# removed; at most 2 s
# shellcheck disable=SC2317 # called through ${kind}_pid_on
ask() {
  # shellcheck disable=SC2016 # $0 and $1 are the inner bash's
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "$1" >&3 && cat <&3' \
    "$1" "$2" 2>/dev/null | tr -d '\r'
}
# listening PORT: does anything accept on 127.0.0.1:PORT? (at most 2 s)
listening() {
  # shellcheck disable=SC2016 # $0 is the inner bash's
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}
# pick_port: a random port that nothing listens on; false when taken
pick_port() { port=$(random_port); ! listening "$port"; }

# the PID the server on PORT reports: tells our server from anything else
# shellcheck disable=SC2317 # called as ${kind}_pid_on
redis_pid_on() { ask "$1" 'INFO server\r\nQUIT\r\n' | sed -n 's/^process_id://p'; }
# shellcheck disable=SC2317 # called as ${kind}_pid_on
memcached_pid_on() { ask "$1" 'stats\r\nquit\r\n' | sed -n 's/^STAT pid //p'; }

# ---- prerequisites ---------------------------------------------------------

for c in "$nginx_bin" curl redis-server memcached timeout bash; do
  need_cmd "$c"
done
need_ngx_lua
need_file "$clients/redis.lua"
need_file "$clients/memcached.lua"
check_prerequisites "run tools/deps.sh"

make_prefix clients
mkdir -p "$dir/redis"
make_luajit module

# ---- redis-server and memcached --------------------------------------------

# start_server KIND: sets $server_port; KIND is redis or memcached. A random
# port that nothing listens on; if the server cannot take it after all, it
# exits at once: try another (5 attempts, each waiting at most 10 s).
start_server() {
  kind=$1
  server_port=""
  for _ in 1 2 3 4 5; do
    pick_port || continue
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
    pids="$pids $pid"
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

write_env clients redis_port="$redis_port" memcached_port="$memcached_port"

# ---- nginx -----------------------------------------------------------------

start_nginx "$root/t/clients/nginx.conf.in" || finish
ok "nginx started on 127.0.0.1:$port"

# the worker runs init_worker before it serves; wait for it all the same
wait_for 10 has_line "done init_worker"

body=$(curl -s --max-time 10 "$url/content")
[ "$body" = "content done" ]
check $? "GET /content answers \"content done\" (got \"$body\")"

stop_nginx

# ---- what the phases reported ------------------------------------------------

report_results
check_done init_worker content
collect_log

# one WARN line per native socket, none where cosockets were used
while read -r _ phase want; do
  got=$(grep -c "\[warn\].*cosockets unavailable in phase $phase, using a blocking socket" "$log")
  [ "$got" -eq "$want" ]
  check $? "error.log: $phase made $want native sockets, one WARN line each (got $got)"
done <<EOF
$(grep '^native ' "$results")
EOF

check_no_errors "$log"

finish
