#!/bin/sh
# t/clients/run.sh: unmodified lua-resty clients everywhere.
#
# Each scenario of t/clients/scenarios/ drives one unmodified client (Debian's
# lua-nginx-dns, -redis, -memcached, -redis-connector, -websocket, and
# t/clients/lib/resty/tinyhttp.lua, an HTTP client built like
# lua-resty-http) through resty.luasocket.load() against real servers that
# this script starts: dnsmasq, redis-server (TCP and unix socket),
# memcached, and a server nginx (HTTP, HTTPS, ws, wss). The same scenario
# runs in a client nginx's content phase on real cosockets (the reference),
# in its init_worker, set and log phases on native sockets, and in plain Lua
# under each INTERP (t/clients/plain.lua); every output must equal the
# reference (in plain Lua: stdout; what ngx.log writes goes to stderr, as
# nginx's goes to error.log). The websocket client needs LuaJIT's FFI: in plain Lua it runs
# under luajit only.
#
#   sh t/clients/run.sh [INTERP...]      (default: luajit)
#   SCENARIOS="dns http" sh t/clients/run.sh luajit lua5.4
#   KEEP=1 sh t/clients/run.sh            keeps the temporary prefix
#
# Everything listens on 127.0.0.1 (ports chosen at random, another try when
# taken) or a unix socket under a temporary prefix, is stopped by PID, and
# every wait is bounded (t/lib/harness.sh). Prints "ok - ..." / "not ok -
# ..." (a failed comparison with a short diff, reference = -), then
# "N passed, N failed"; exits non-zero when anything failed.

set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=t/lib/harness.sh
. "$root/t/lib/harness.sh"
clients=/usr/share/lua/5.1/nginx
interps=${*:-luajit}
scenarios=${SCENARIOS:-env dns redis memcached redis_connector http websocket}

# every server's log too, each only when not empty
show_logs() {
  for f in logs/stderr logs/error.log server/logs/error.log redis.log \
           memcached.log dnsmasq.log; do
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

# the PID the server on PORT reports: tells our server from anything else
# shellcheck disable=SC2317 # called as ${kind}_pid_on
redis_pid_on() { ask "$1" 'INFO server\r\nQUIT\r\n' | sed -n 's/^process_id://p'; }
# shellcheck disable=SC2317 # called as ${kind}_pid_on
memcached_pid_on() { ask "$1" 'stats\r\nquit\r\n' | sed -n 's/^STAT pid //p'; }

# ---- prerequisites ---------------------------------------------------------

for c in "$nginx_bin" curl redis-server memcached dnsmasq openssl timeout bash; do
  need_cmd "$c"
done
need_ngx_lua
for f in redis.lua memcached.lua dns/resolver.lua websocket/client.lua \
         websocket/server.lua redis/connector.lua; do
  need_file "$clients/$f"
done
for i in $interps; do need_cmd "$i"; done
check_prerequisites "run tools/deps.sh"

make_prefix clients
mkdir -p "$dir/redis" "$dir/out" "$dir/server/logs" "$dir/server/tmp"
make_luajit module
for i in $interps; do
  [ "$i" = luajit ] && continue
  if make -C "$root" --no-print-directory LUA="$i" module >"$dir/build.log" 2>&1; then
    ok "build: make LUA=$i module"
  else
    not_ok "build: make LUA=$i module"
    show "$dir/build.log"
    finish
  fi
done

# ---- the test PKI: the server nginx's certificate, the CA the clients trust --

mkdir -p "$dir/pki"
if (cd "$root" && LUA_PATH="spec/?.lua;;" timeout 60 luajit - "$dir/pki" \
      >"$dir/pki.log" 2>&1) <<'LUA'
require("tls_helper").pki((...))
LUA
then
  ok "test PKI made"
else
  not_ok "test PKI made"
  show "$dir/pki.log"
  finish
fi

# ---- redis-server, memcached, dnsmasq ----------------------------------------

# start_server KIND: sets $server_port. A random port; if the server cannot
# take it, it exits at once: try another (5 attempts, each at most 10 s).
start_server() {
  kind=$1
  server_port=""
  for _ in 1 2 3 4 5; do
    port=$(random_port)
    : >"$dir/$kind.log"
    case $kind in
      redis)
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
          --daemonize no --protected-mode yes --dir "$dir/redis" \
          --unixsocket "$dir/redis.sock" --unixsocketperm 700 \
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
      [ "$("${kind}_pid_on" "$port")" = "$pid" ] && { server_port=$port; return 0; }
      sleep 0.1; n=$((n - 1))
    done
    stop_pid "$pid"
  done
  return 1
}

# dnsmasq: the zone "test" answered from these records only (names not in it
# are NXDOMAIN), every other name REFUSED (no upstream server); big.test's
# TXT answer (4 x 200 bytes) does not fit in 512 bytes of UDP. It is also
# the client nginx's resolver, for localhost.
txt200() { printf '%0200d' "$1" | tr 0 "$2"; }
dns_records() {
  echo "--local=/test/"
  echo "--host-record=localhost,127.0.0.1"
  echo "--host-record=www.test,10.0.0.1,2001:db8::1"
  echo "--cname=alias.test,www.test"
  echo "--mx-host=test,mail.test,10"
  echo "--txt-record=txt.test,hello,world"
  echo "--txt-record=big.test,$(txt200 0 a),$(txt200 0 b),$(txt200 0 c),$(txt200 0 d)"
  echo "--srv-host=_http._tcp.test,www.test,80,1,5"
}
dnsmasq_up() { grep -q "started, version" "$dir/dnsmasq.log" 2>/dev/null; }
start_dnsmasq() {
  dns_port=""
  for _ in 1 2 3 4 5; do
    port=$(random_port)
    : >"$dir/dnsmasq.log"
    # shellcheck disable=SC2046 # one argument per line of dns_records
    dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
      --listen-address=127.0.0.1 --bind-interfaces --port="$port" \
      --pid-file= --user="$(id -un)" --group="$(id -gn)" --log-facility=- \
      $(dns_records) >"$dir/dnsmasq.log" 2>&1 &
    pid=$!
    pids="$pids $pid"
    n=100
    while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
      dnsmasq_up && { dns_port=$port; return 0; }
      sleep 0.1; n=$((n - 1))
    done
    stop_pid "$pid"
  done
  return 1
}

if start_server redis; then
  redis_port=$server_port
  ok "redis-server started on 127.0.0.1:$redis_port and $dir/redis.sock"
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
if start_dnsmasq; then
  ok "dnsmasq started on 127.0.0.1:$dns_port"
else
  not_ok "dnsmasq started"
  finish
fi

# ---- the server nginx (its own prefix under $dir) ----------------------------

client_dir=$dir
dir=$client_dir/server
start_nginx "$root/t/clients/server.conf.in" || { dir=$client_dir; finish; }
pids="$pids $nginx_pid"
nginx_pid=""
http_port=$port
https_port=$port2
dir=$client_dir
ok "server nginx started on 127.0.0.1:$http_port (http, ws) and :$https_port (https, wss)"

write_env clients root="[[$root]]" out="[[$dir/out]]" pki="[[$dir/pki]]" \
  scenarios="[[$scenarios]]" redis_port="$redis_port" \
  redis_unix="[[$dir/redis.sock]]" memcached_port="$memcached_port" \
  dns_port="$dns_port" http_port="$http_port" https_port="$https_port"

# ---- the client nginx: init_worker runs every scenario before it serves ------

sed "s|@DNS_PORT@|$dns_port|g" "$root/t/clients/nginx.conf.in" >"$dir/client.conf.in"
nginx_start_wait=120 start_nginx "$dir/client.conf.in" || finish
ok "client nginx started on 127.0.0.1:$port"

ran() { [ -f "$dir/out/$1" ]; }
for s in $scenarios; do
  curl -s --max-time 60 "$url/content/$s" >"$dir/out/$s.content" 2>/dev/null
  curl -s --max-time 60 -o /dev/null "$url/set/$s"
  curl -s --max-time 60 -o /dev/null "$url/log/$s"
  wait_for 60 ran "$s.log"
  for i in $interps; do
    [ "$s" = websocket ] && [ "$i" != luajit ] && continue
    (cd "$root" &&
     LUA_PATH="$root/lib/?.lua;$root/t/clients/?.lua;$root/t/clients/lib/?.lua;$dir/?.lua;/usr/share/lua/5.1/?.lua;;" \
     LUA_CPATH="$root/build/$i/?.so;;" \
     timeout -k 5 120 "$i" t/clients/plain.lua "$s" "plain-$i") \
      >"$dir/out/$s.plain-$i" 2>"$dir/out/$s.plain-$i.stderr" ||
      echo "(exit status $?)" >>"$dir/out/$s.plain-$i"
  done
done

stop_nginx

# ---- the comparisons ---------------------------------------------------------

for s in $scenarios; do
  ref=$dir/out/$s.content
  if grep -qx -- "-- end of $s" "$ref" && ! grep -q '^ERROR: ' "$ref"; then
    ok "$s: the reference (content, cosockets) ran to the end"
  else
    not_ok "$s: the reference (content, cosockets) ran to the end"
    [ -f "$ref" ] && show "$ref"
  fi
  for ctx in init_worker set log $(for i in $interps; do echo "plain-$i"; done); do
    case $s.$ctx in websocket.plain-luajit) ;; websocket.plain-*) continue ;; esac
    got=$dir/out/$s.$ctx
    if [ -f "$got" ] && cmp -s "$ref" "$got"; then
      ok "$s: $ctx prints what content prints"
    else
      not_ok "$s: $ctx prints what content prints"
      if [ -f "$got" ]; then
        diff -u "$ref" "$got" | sed -n '3,40p' | cut -c 1-240 | sed 's/^/#   /'
        if [ -s "$got.stderr" ]; then
          echo "#   its stderr:"
          head -n 20 "$got.stderr" | cut -c 1-240 | sed 's/^/#   /'
        fi
      else
        echo "#   no output"
      fi
    fi
  done
done

# ---- error.log -----------------------------------------------------------------

collect_log
for phase in init_worker set log; do
  grep -q "\[warn\].*cosockets unavailable in phase $phase, using a blocking socket" "$log"
  check $? "error.log: $phase warns that it uses blocking sockets"
done
! grep -q "cosockets unavailable in phase content" "$log"
check $? "error.log: content uses cosockets, no warning"
check_no_errors "$log"

finish
