#!/bin/sh
# luacheck over every Lua file of the project, reported as one test.
set -u
cd "$(dirname "$0")/.."
dirs=
for d in lib spec t tests types demo bench; do
    [ -d "$d" ] && dirs="$dirs $d"
done
# shellcheck disable=SC2086
if luacheck --no-color -q $dirs 2>&1; then
    echo "ok - luacheck"
    echo "1 passed, 0 failed"
else
    echo "not ok - luacheck"
    echo "0 passed, 1 failed"
    exit 1
fi
