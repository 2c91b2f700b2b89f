#!/bin/sh
# tests/busted.sh [INTERP]: spec/ under busted (with .busted, as a lua-resty
# author runs it), on INTERP (default luajit). busted's TAP lines become the
# suite's ok / not ok lines; ends with "N passed, N failed". A busted that
# fails without a "not ok" line, or runs no test, counts as one failure.
set -u
cd "$(dirname "$0")/.." || exit 1
interp=${1:-luajit}
out=$(mktemp "${TMPDIR:-/tmp}/busted.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT

busted --lua="$interp" -o TAP >"$out" 2>&1
status=$?
awk -v status="$status" -v interp="$interp" '
  /^ok [0-9]+ - / { sub(/^ok [0-9]+ - /, ""); print "ok - busted (" interp "): " $0; p++; next }
  /^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, ""); print "not ok - busted (" interp "): " $0; f++; next }
  /^1\.\.[0-9]+$/ { plan = 1; next }
  { print "# " $0 }
  END {
    if (f == 0 && (status != 0 || !plan || p == 0)) {
      print "not ok - busted (" interp ") ended with status " status " and " p " tests"
      f = 1
    }
    print p + 0 " passed, " f + 0 " failed"
    exit f > 0
  }' "$out"
