#!/bin/sh
# luacheck over every Lua file of the project, reported as one test.
set -u
cd "$(dirname "$0")/.."
if luacheck --no-color -q lib spec t demo bench 2>&1; then
    echo "ok - luacheck"
    echo "1 passed, 0 failed"
else
    echo "not ok - luacheck"
    echo "0 passed, 1 failed"
    exit 1
fi
