#!/usr/bin/env bash
# tools/deps.sh: installs the Debian packages the build, the tests, the
# demo and the benchmarks need, when some are missing. `make test`, `make
# demo` and `make bench` run it first, so they work on a fresh Debian 12
# machine.
#
# Packages already installed are not touched; apt-get runs through sudo when
# not root. System services that come with nginx, redis-server and memcached
# are kept from starting during the install: the tests start their own on
# random ports.
set -euo pipefail

packages=(
  # nginx + ngx_lua, for the tests inside nginx (t/). Not the `luajit`
  # package: it conflicts with libluajit2, which ngx_lua links.
  nginx-light libnginx-mod-http-lua luajit2 libluajit2-5.1-dev
  # every Lua the module is built and tested for
  lua5.1 liblua5.1-0-dev lua5.2 liblua5.2-dev
  lua5.3 liblua5.3-dev lua5.4 liblua5.4-dev
  # build and test tools
  gcc clang make pkg-config libssl-dev valgrind lua-check luarocks zip
  # PCRE2, for ngx.re of the plain-Lua ngx
  libpcre2-dev
  # make fuzz: libFuzzer and the sanitizer runtimes of clang (only a
  # recommendation of clang's, so not installed with it here)
  libclang-rt-dev
  redis-server curl ca-certificates procps
  # unmodified lua-resty clients and their servers, for spec/clients_spec.lua
  # and t/clients (nginx/*.lua in /usr/share/lua/5.1); dnsmasq-base is the
  # DNS server without a system service
  lua-nginx-redis lua-nginx-memcached lua-nginx-dns lua-nginx-websocket
  lua-nginx-redis-connector memcached dnsmasq-base
  # make bench: the LuaSocket columns, the plot, and the system call counts
  lua-socket gnuplot-nox strace
  # spec/ under busted, as lua-resty authors run it (tests/busted.sh)
  lua-busted
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "tools/deps.sh: installing packages needs root (or sudo): $*" >&2
    exit 1
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done

policy=/usr/sbin/policy-rc.d
own_policy=0
remove_policy() {
  if [ "$own_policy" = 1 ]; then
    as_root rm -f "$policy"
    own_policy=0
  fi
}
trap remove_policy EXIT

if [ ${#missing[@]} -gt 0 ]; then
  echo "tools/deps.sh: installing ${missing[*]}"
  # invoke-rc.d asks policy-rc.d before starting a service; 101 means "no".
  # An existing policy (a Docker image's, say) is left as it is.
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    own_policy=1
  fi
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
  remove_policy
fi

