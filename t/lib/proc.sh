# shellcheck shell=sh
# t/lib/proc.sh: the process helpers of every runner that starts servers
# (t/lib/harness.sh and what sources it, t/diff/run.sh, bench/run.sh).
# POSIX sh, safe under set -eu; sourced after root is set.

# stop_pid PID: TERM, wait up to 5 s, then KILL; reaps it when it is a
# child of this shell
stop_pid() {
  kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  _stop_i=0
  while kill -0 "$1" 2>/dev/null && [ "$_stop_i" -lt 100 ]; do
    sleep 0.05
    _stop_i=$((_stop_i + 1))
  done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  return 0
}

# wait_for SECONDS COMMAND...: retry COMMAND every 0.1 s until it succeeds;
# false when SECONDS pass first
wait_for() {
  _wait_n=$(($1 * 10))
  shift
  while [ "$_wait_n" -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    _wait_n=$((_wait_n - 1))
  done
  return 1
}

# random_port: a port of 20000-59999, at random (a server that can bind
# port 0 and say which it got is better: this is for those that cannot)
random_port() {
  echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
}
