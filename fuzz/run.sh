#!/bin/sh
# Runs the libFuzzer targets built in $FUZZ_BUILD (make fuzz builds them and
# calls this). For each target: its saved reproducers (fuzz/regress/<t>/)
# first, each once; then FUZZ_SECONDS of fuzzing from a scratch copy of its
# seed corpus (fuzz/corpus/<t>/), so that what the run finds never grows the
# committed corpus. Prints one `ok - ...` / `not ok - ...` line per target
# and `N passed, N failed`; exits non-zero on any failure.
#
#   FUZZ_SECONDS=300 FUZZ_BUILD=build/fuzz sh fuzz/run.sh until reads ...
#
# Crashing inputs are kept in $FUZZ_BUILD/artifacts/<t>/, the full output in
# $FUZZ_BUILD/logs/<t>.log.
set -u
cd "$(dirname "$0")/.."

secs=${FUZZ_SECONDS:-300}
bin=${FUZZ_BUILD:-build/fuzz}
passed=0
failed=0

# The longest input each target is given: room for a few hundred
# operations, a long host name, or a few hundred table nodes.
max_len() {
    case $1 in
    addr) echo 256 ;;
    *) echo 1024 ;;
    esac
}

# a closing statistic of libFuzzer's -print_final_stats
stat_of() {
    sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

# the last words of a failed run: what libFuzzer or a sanitizer said
show_failure() {
    grep -E '^fuzz: |ERROR|runtime error|SUMMARY|Test unit written' "$1" |
        head -n 8 | sed 's/^/#   /'
}

mkdir -p "$bin/logs"
for t in "$@"; do
    log=$bin/logs/$t.log
    art=$bin/artifacts/$t
    mkdir -p "$art"
    : >"$log"

    if [ -d "fuzz/regress/$t" ] && [ -n "$(ls "fuzz/regress/$t")" ]; then
        if ! "$bin/$t" fuzz/regress/"$t"/* >>"$log" 2>&1; then
            echo "not ok - fuzz $t: a saved reproducer" \
                "(fuzz/regress/$t/) still fails"
            show_failure "$log"
            failed=$((failed + 1))
            continue
        fi
    fi

    work=$(mktemp -d)
    cp fuzz/corpus/"$t"/* "$work"/
    "$bin/$t" -max_total_time="$secs" -max_len="$(max_len "$t")" \
        -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
        -artifact_prefix="$art/" "$work" >>"$log" 2>&1
    rc=$?
    rm -rf "$work"

    execs=$(stat_of number_of_executed_units "$log")
    rate=$(stat_of average_exec_per_sec "$log")
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n \
        's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p')
    if [ "$rc" -eq 0 ]; then
        echo "ok - fuzz $t: ${execs:-?} execs, no crash" \
            "(${secs} s, ${rate:-?}/s, ${cov:-no stats})"
        passed=$((passed + 1))
    else
        echo "not ok - fuzz $t: failed after ${execs:-?} execs" \
            "(status $rc), input in $art/"
        show_failure "$log"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
