#!/usr/bin/env bash
# The cost of authentication (issue 7): ReportEvent calls/s with a verified bearer token
# over the same with the development header, in one run against one private stack
# (docs/benchmarks.md).
#
# Starts, on free ports under a temporary directory, its own redis-server, zw-router and
# zw-intake (the latter with --auth_keys and --dev_identity_header, so both kinds of call
# are accepted by the same process; the rate limiter runs, far above the load), loads the
# sample district, runs `zw-bench --auth=both` and stops everything it started (by PID).
#
#   tools/bench/run_auth_bench.sh                               # in flight 16,64, 3 rounds
#   tools/bench/run_auth_bench.sh --in_flight=64 --rounds=5 --duration=5s
#
# Own option: --build_dir=DIR (default $ZW_BUILD_DIR or <repo>/build). Everything else is
# passed to zw-bench.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${ZW_BUILD_DIR:-$root/build}
extra=()
for arg in "$@"; do
  case $arg in
    --build_dir=*) build_dir=${arg#*=} ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) extra+=("$arg") ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/zw-auth-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_file() { # FILE PID NAME
  local i
  for ((i = 0; i < 200; i++)); do
    [[ -s $1 ]] && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "run_auth_bench: $3 did not start:" >&2
  tail -n 20 "$work/$3.log" >&2 || true
  return 1
}

head -c 32 /dev/urandom | base64 >"$work/bench.key"
printf 'bench-1 bench.key\n' >"$work/auth_keys"

redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

common=(--listen=127.0.0.1:0 --redis_port="$redis_port" --auth_keys="$work/auth_keys"
        --rate_limit_per_second=1000000 --rate_limit_burst=1000000 --log_level=warning)
"$build_dir/services/router/zw-router" "${common[@]}" --port_file="$work/router.port" \
  >"$work/router.log" 2>&1 &
pids+=($!)
wait_file "$work/router.port" "${pids[-1]}" router
"$build_dir/tools/zwctl/zwctl" load-district --admin="127.0.0.1:$(cat "$work/router.port")" \
  --file="$root/deploy/sample/district.textpb" --key_file="$work/bench.key" --kid=bench-1 >/dev/null
"$build_dir/services/intake/zw-intake" "${common[@]}" --dev_identity_header \
  --port_file="$work/intake.port" >"$work/intake.log" 2>&1 &
pids+=($!)
wait_file "$work/intake.port" "${pids[-1]}" intake
sleep 1  # intake reads the district at start-up; give its first refresh a moment

"$build_dir/tools/bench/zw-bench" --auth=both --addr="127.0.0.1:$(cat "$work/intake.port")" \
  --key_file="$work/bench.key" --kid=bench-1 --in_flight=16,64 --rounds=3 \
  ${extra[@]+"${extra[@]}"}
