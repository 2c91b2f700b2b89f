#!/bin/sh
# Runs every suite of the project and sums their closing lines.
#
# Each suite prints `ok - ...` / `not ok - ...` lines and ends with
# `N passed, N failed`. A suite that exits non-zero without reporting a
# failure counts as one failure, so a crash can never pass.
#
#   LUAS="luajit lua5.1 lua5.4" sh tests/run.sh [suite...]
#   suites: c spec diff phase clients fork asan valgrind bench lint fuzz
#           fault gcstress
#   (default: all)
set -u
cd "$(dirname "$0")/.."

LUAS=${LUAS:-luajit}
suites=${*:-c spec diff phase clients fork asan valgrind bench lint fuzz fault gcstress}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run_suite NAME CMD...: runs one suite, adds its counts to the totals
run_suite() {
    name=$1
    shift
    echo "=== $name"
    t0=$(date +%s)
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    echo "# $name: $(($(date +%s) - t0)) s"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=0
    f=0
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

lua_env() {
    interp=$1
    shift
    LUA_PATH="lib/?.lua;lib/?/init.lua;spec/?.lua;;" \
    LUA_CPATH="build/$interp/?.so;;" "$@"
}

for s in $suites; do
    case $s in
    c)
        for t in build/tests/test_*; do
            [ -x "$t" ] && run_suite "c: $(basename "$t")" "$t"
        done
        ;;
    spec)
        for l in $LUAS; do
            run_suite "spec: $l" lua_env "$l" "$l" spec/run.lua
        done
        ;;
    diff)
        # one run: each case's nginx output serves every interpreter
        run_suite "diff: native vs nginx ($LUAS)" bash t/diff/run.sh $LUAS
        ;;
    phase)
        run_suite "phase: nginx" bash t/phase/run.sh
        ;;
    clients)
        # shellcheck disable=SC2086 # one argument per interpreter
        run_suite "clients: unmodified lua-resty clients in nginx phases and plain Lua" \
            sh t/clients/run.sh $LUAS
        ;;
    fork)
        [ -f t/fork/run.sh ] && run_suite "fork: pools across fork" bash t/fork/run.sh
        ;;
    asan)
        run_suite "asan: spec under ASan+UBSan (lua5.4)" \
            make -s --no-print-directory asan SAN_LUA=lua5.4
        ;;
    valgrind)
        for l in lua5.4 lua5.1; do
            run_suite "valgrind: spec under memcheck ($l)" \
                make -s --no-print-directory valgrind VG_LUA=$l
        done
        ;;
    bench)
        # the benchmark is measured by hand; the suite checks it still runs
        run_suite "bench: make bench QUICK=1 completes" sh -c \
            'make -s --no-print-directory bench QUICK=1 &&
             echo "ok - make bench QUICK=1" && echo "1 passed, 0 failed"'
        ;;
    lint)
        run_suite "lint: luacheck" sh tests/lint.sh
        ;;
    fuzz)
        # each target briefly: the long runs are `make fuzz` by hand
        run_suite "fuzz: libFuzzer targets, 10 s each" \
            make -s --no-print-directory fuzz FUZZ_SECONDS=10
        ;;
    fault)
        for l in luajit lua5.4; do
            run_suite "fault: fault injection and resources ($l)" sh tests/fault/run.sh "$l"
            run_suite "fault: a resolver that never answers ($l)" sh tests/fault/resolver.sh "$l"
        done
        run_suite "fault: a resolver that never answers (C: slots, fork)" sh tests/fault/resolver.sh c
        ;;
    gcstress)
        for l in lua5.4 luajit; do
            run_suite "gcstress: spec with the collector at its most eager ($l)" \
                lua_env "$l" env SPEC_GC_STRESS=1 SPEC_SCALE=16 "$l" spec/run.lua
        done
        ;;
    *)
        echo "unknown suite: $s" >&2
        exit 2
        ;;
    esac
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
