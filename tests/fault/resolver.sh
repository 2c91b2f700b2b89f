#!/bin/sh
# Name lookups against a DNS server that never answers: the spec
# tests/fault/resolver_spec.lua under one interpreter (default luajit), or
# with `c` the C unit test of addresses (build/tests/test_addr), whose
# checks of a hung resolver and of fork run only here.
#
#   sh tests/fault/resolver.sh [interp | c]
#
# The system resolver has no setting for "ask this server" that a process
# could give it (RES_OPTIONS and LOCALDOMAIN set timeouts and search lists,
# never servers), and /etc/resolv.conf is the machine's. So the spec runs
# in a mount and network namespace of its own (unshare, as root): there
# /etc/resolv.conf and /etc/nsswitch.conf are bind mounts of files naming
# 127.0.0.1 as the only nameserver and "files dns" as the hosts sources,
# and build/peer --udp hold, on that namespace's 127.0.0.1:53, reads every
# query and answers none. The mounts, the loopback and port 53 vanish with
# the namespace; nothing outside it sees them. The spec process runs under
# a 1 GiB address-space limit, where 1000 lookup threads with default
# stacks (8 MiB) cannot all exist.
set -u
cd "$(dirname "$0")/../.."
l=${1:-luajit}

if [ -z "${LUASOCKET_RESOLVER_NS:-}" ]; then
    # bounded: the spec's own waits are seconds; this is the backstop
    LUASOCKET_RESOLVER_NS=1 timeout -k 5 300 unshare --mount --net sh "$0" "$l"
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        echo "not ok - the resolver namespace (unshare --mount --net, as root): status $rc"
        echo "0 passed, 1 failed"
    fi
    exit "$rc"
fi

fail() {
    echo "not ok - the resolver namespace: $*"
    echo "0 passed, 1 failed"
    exit 1
}

ip link set lo up || fail "ip link set lo up"
dir=$(mktemp -d /tmp/luasocket-resolver.XXXXXX) || fail "mktemp"
trap 'rm -rf "$dir"' EXIT
# timeout:2 attempts:1: a lookup of a name gives up after about 2 s
# (glibc's defaults: 5 s and 2 attempts), which bounds the spec's waits
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n' >"$dir/resolv.conf"
printf 'hosts: files dns\n' >"$dir/nsswitch.conf"
mount --bind "$dir/resolv.conf" /etc/resolv.conf || fail "bind mount of resolv.conf"
mount --bind "$dir/nsswitch.conf" /etc/nsswitch.conf || fail "bind mount of nsswitch.conf"

build/peer --udp --port 53 --max-seconds 280 hold >"$dir/dns.out" 2>&1 &
dns=$!
n=0
until grep -q '^port 53$' "$dir/dns.out" 2>/dev/null; do
    n=$((n + 1))
    if [ $n -gt 100 ] || ! kill -0 "$dns" 2>/dev/null; then
        fail "silent DNS peer on 127.0.0.1:53: $(cat "$dir/dns.out")"
    fi
    sleep 0.05
done

(
    # shellcheck disable=SC3045 # dash and bash have -v
    ulimit -v 1048576
    if [ "$l" = c ]; then
        exec build/tests/test_addr
    fi
    LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" LUA_CPATH="build/$l/?.so;;" \
        exec "$l" spec/run.lua tests/fault/resolver_spec.lua
)
rc=$?
kill "$dns" 2>/dev/null
wait "$dns" 2>/dev/null
exit "$rc"
