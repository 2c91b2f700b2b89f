#!/usr/bin/env bash
# Runs every suite of the project and sums their closing lines.
#
# Each suite prints `ok - ...` / `not ok - ...` lines and ends with
# `N passed, N failed`. A suite that exits non-zero without reporting a
# failure counts as one failure, so a crash can never pass.
#
#   LUAS="luajit lua5.1 lua5.4" bash tests/run.sh [suite...]
#   suites: c spec diff phase clients fork asan valgrind bench lint fuzz
#           fault gcstress package busted
#   (default: all)
#   JOBS=n: how many suites run at once (default 3). Most suites spend
#   their time waiting on timeouts and peers, the instrumented ones
#   (valgrind, ASan, GC stress, fuzz) on one CPU each; every suite is
#   written to pass on a busy machine. Each suite's output is printed as
#   one block when it ends, with its duration.
# under sh (dash), start again under bash: the runner uses its arrays
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/.."

LUAS=${LUAS:-luajit}
JOBS=${JOBS:-3}
suites=${*:-c spec diff phase clients fork asan valgrind bench lint fuzz fault gcstress package busted}

lua_env() {
    interp=$1
    shift
    LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" \
    LUA_CPATH="build/$interp/?.so;;" "$@"
}

# ---- what every suite needs: the module for each interpreter, the peers,
# the C tests (make does nothing when they are up to date) -------------------

for l in $LUAS; do
    make -s --no-print-directory module LUA="$l" || {
        echo "not ok - building the module for $l"
        echo "0 passed, 1 failed"
        exit 1
    }
done
make -s --no-print-directory peer test-c || {
    echo "not ok - building the test peers and the C tests"
    echo "0 passed, 1 failed"
    exit 1
}

# ---- the job list -----------------------------------------------------------

names=()
cmds=()
weights=()

# add WEIGHT NAME CMD...: one job; WEIGHT orders the start (the longest
# first, so that two lanes end together), not the output
add() {
    weights+=("$1")
    names+=("$2")
    shift 2
    cmds+=("$(printf '%q ' "$@")")
}

for s in $suites; do
    case $s in
    c)
        for t in build/tests/test_*; do
            [ -x "$t" ] && add 1 "c: $(basename "$t")" "$t"
        done
        ;;
    spec)
        for l in $LUAS; do
            add 90 "spec: $l" lua_env "$l" "$l" spec/run.lua
        done
        ;;
    diff)
        # one run: each case's nginx output serves every interpreter
        # shellcheck disable=SC2086 # one argument per interpreter
        add 150 "diff: native vs nginx ($LUAS)" bash t/diff/run.sh $LUAS
        ;;
    phase)
        add 3 "phase: nginx" bash t/phase/run.sh
        ;;
    clients)
        # shellcheck disable=SC2086 # one argument per interpreter
        add 8 "clients: unmodified lua-resty clients in nginx phases and plain Lua" \
            sh t/clients/run.sh $LUAS
        ;;
    fork)
        [ -f t/fork/run.sh ] && add 6 "fork: pools across fork" bash t/fork/run.sh
        ;;
    asan)
        # ASan under lua5.1 and valgrind under lua5.4: between them both
        # shapes of the Lua C API that compat.h bridges; ASan under luajit
        # too, for the FFI path (tcp_ffi.c)
        for l in lua5.1 luajit; do
            add 140 "asan: spec under ASan+UBSan ($l)" \
                make -s --no-print-directory asan SAN_LUA=$l
        done
        ;;
    valgrind)
        # lua5.4, and luajit for the FFI path
        for l in lua5.4 luajit; do
            add 400 "valgrind: spec under memcheck ($l)" \
                make -s --no-print-directory valgrind VG_LUA=$l
        done
        ;;
    busted)
        # spec/ as a lua-resty author runs it: busted with .busted
        add 90 "busted: spec under busted (luajit)" sh tests/busted.sh luajit
        ;;
    package)
        add 30 "package: luarocks, the release rock, make install" \
            bash tests/package/run.sh
        ;;
    bench)
        # the benchmark is measured by hand; the suite checks it still runs
        add 40 "bench: make bench QUICK=1 completes" sh -c \
            'make -s --no-print-directory bench QUICK=1 &&
             echo "ok - make bench QUICK=1" && echo "1 passed, 0 failed"'
        ;;
    lint)
        add 2 "lint: luacheck" sh tests/lint.sh
        ;;
    fuzz)
        # each target briefly: the long runs are `make fuzz` by hand
        add 65 "fuzz: libFuzzer targets, 10 s each" \
            make -s --no-print-directory fuzz FUZZ_SECONDS=10
        ;;
    fault)
        for l in luajit lua5.4; do
            add 85 "fault: fault injection and resources ($l)" sh tests/fault/run.sh "$l"
            add 12 "fault: a resolver that never answers ($l)" sh tests/fault/resolver.sh "$l"
        done
        add 4 "fault: a resolver that never answers (C: slots, fork)" sh tests/fault/resolver.sh c
        ;;
    gcstress)
        for l in lua5.4 luajit; do
            add 85 "gcstress: spec with the collector at its most eager ($l)" \
                lua_env "$l" env SPEC_GC_STRESS=1 SPEC_SCALE=16 "$l" spec/run.lua
        done
        ;;
    *)
        echo "unknown suite: $s" >&2
        exit 2
        ;;
    esac
done

# ---- running them -------------------------------------------------------------

dir=$(mktemp -d "${TMPDIR:-/tmp}/tests-run.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do
        [ -n "$p" ] && kill -TERM -- "-$p" 2>/dev/null
    done
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start I: job I in a process group of its own (so that an interrupted run
# can stop everything it started), its output and its status into $dir
start() {
    local i=$1
    set -m
    (
        t0=$(date +%s)
        eval "${cmds[$i]}" >"$dir/$i.log" 2>&1
        rc=$?
        echo "$(($(date +%s) - t0))" >"$dir/$i.secs"
        echo "$rc" >"$dir/$i.rc"
    ) &
    pids[$i]=$!
    set +m
}

passed=0
failed=0

# report I: job I's output, then its counts added to the totals
report() {
    local i=$1 name=${names[$1]} rc line p=0 f=0
    rc=$(cat "$dir/$i.rc")
    echo "=== $name"
    cat "$dir/$i.log"
    echo "# $name: $(cat "$dir/$i.secs") s"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$dir/$i.log" | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - $name exited with status $rc"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
}

# the start order: heaviest first, ties in list order
order=$(for i in "${!names[@]}"; do echo "${weights[$i]} $i"; done |
        sort -k1,1nr -k2,2n -s | cut -d' ' -f2)

# reports every job that ended since the last call, in the order they ended
reported=()
flush() {
    local j
    for j in "${!names[@]}"; do
        # a job killed before it could write its status counts as failed
        if [ -n "${pids[$j]:-}" ] && [ ! -f "$dir/$j.rc" ] &&
           ! kill -0 "${pids[$j]}" 2>/dev/null; then
            echo "# the job was killed" >>"$dir/$j.log"
            echo "?" >"$dir/$j.secs"
            echo 1 >"$dir/$j.rc"
        fi
        if [ -z "${reported[$j]:-}" ] && [ -f "$dir/$j.rc" ]; then
            report "$j"
            reported[$j]=1
            pids[$j]=""
        fi
    done
}
# waits for a job to end, reports it, counts the jobs still running
running=0
wait_one() {
    local j
    wait -n 2>/dev/null
    flush
    running=0
    for j in "${!pids[@]}"; do
        [ -n "${pids[$j]}" ] && running=$((running + 1))
    done
}
for i in $order; do
    while [ "$running" -ge "$JOBS" ]; do wait_one; done
    start "$i"
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do wait_one; done
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
