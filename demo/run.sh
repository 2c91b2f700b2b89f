#!/bin/sh
# demo/run.sh: start a throw-away redis-server and talk to it from plain Lua
# with the native socket (demo/demo.lua).
#
#   make demo                      (builds the module, then runs this)
#   LUA_BIN=lua5.4 sh demo/run.sh  (any interpreter the Makefile knows)
#
# The server listens on 127.0.0.1 on a free port, keeps nothing on disk,
# and is stopped by its PID. Exits non-zero if any step fails.

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
lua=${LUA_BIN:-luajit}
module="$root/build/$lua/resty/luasocket/native.so"

die() { echo "demo: $*" >&2; exit 1; }

command -v "$lua" >/dev/null 2>&1 || die "no $lua interpreter (see .ci/run for the packages)"
command -v redis-server >/dev/null 2>&1 || die "no redis-server (apt-get install redis-server, or .ci/run demo)"
if [ ! -f "$module" ]; then
  make -C "$root" --no-print-directory LUA="$lua" module >&2 || die "could not build $module"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/luasocket-demo.XXXXXX") || exit 1
pid=""

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ready() { grep -q "Ready to accept connections" "$dir/redis.log" 2>/dev/null; }

# a random port; if it was taken, redis-server exits at once: try another
for attempt in 1 2 3 4 5; do
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
  : >"$dir/redis.log"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
      --daemonize no --dir "$dir" --logfile "$dir/redis.log" &
  pid=$!
  n=100 # up to 10 s
  while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null && ! ready; do
    sleep 0.1; n=$((n - 1))
  done
  ready && kill -0 "$pid" 2>/dev/null && break
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=""
done
[ -n "$pid" ] || { cat "$dir/redis.log" >&2; die "redis-server did not start"; }
echo "demo: redis-server (pid $pid) on 127.0.0.1:$port"

# the versioned variables (Lua 5.2+) would win over the plain ones
unset LUA_PATH_5_2 LUA_PATH_5_3 LUA_PATH_5_4 LUA_CPATH_5_2 LUA_CPATH_5_3 LUA_CPATH_5_4
LUA_PATH="$root/lib/?.lua;;" LUA_CPATH="$root/build/$lua/?.so;;" \
  "$lua" "$root/demo/demo.lua" 127.0.0.1 "$port"
status=$?
echo "demo: $lua exited with status $status; stopping redis-server"
exit $status
