#!/bin/sh
# The fault suite under one interpreter (default luajit): the TCP faults of
# spec/fault_spec.lua at every offset, the TLS handshake faults, and the
# resource checks (descriptors, the collector, memory). Too slow for the
# spec suite's five interpreters, ASan and valgrind; tests/run.sh runs it
# under luajit and lua5.4.
#
#   sh tests/fault/run.sh [interp]
#   FAULT_FULL=1 sh tests/fault/run.sh [interp]   every TLS offset, 1M
#                                                  pooled cycles (minutes)
set -u
cd "$(dirname "$0")/../.."
l=${1:-luajit}
FAULT_TCP_FULL=1 LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" \
LUA_CPATH="build/$l/?.so;;" exec "$l" spec/run.lua spec/fault_spec.lua \
    tests/fault/tls_fault_spec.lua tests/fault/resources_spec.lua
