#!/usr/bin/env bash
# Runs the ReportEvent-versus-echo benchmark (docs/benchmarks.md).
#
# Assumes the stack is up (`tools/zw up`: intake on 127.0.0.1:7101). Starts a private
# zw-bench-echo on a free port, runs `zw-bench --compare` at each in-flight level, stops the
# echo server, and leaves the figures on stdout.
#
#   tools/bench/run_bench.sh                          # in flight 16 and 64, 2 rounds
#   tools/bench/run_bench.sh --in_flight=64 --rounds=3 --duration=10s
#   tools/bench/run_bench.sh --self_check             # echo vs echo: the ratio should be ≈1
#
# Own options: --build_dir=DIR (default $ZW_BUILD_DIR or <repo>/build),
# --report_addr=HOST:PORT (default 127.0.0.1:7101), --in_flight=LIST (default 16,64),
# --self_check (a second echo server stands in for intake). Everything else is passed to
# zw-bench (e.g. --channels, --threads, --rounds, --warmup, --duration, --grid, --category,
# --json).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${ZW_BUILD_DIR:-$root/build}
report_addr=127.0.0.1:7101
in_flight=16,64
self_check=0
extra=()
for arg in "$@"; do
  case $arg in
    --build_dir=*) build_dir=${arg#*=} ;;
    --report_addr=*) report_addr=${arg#*=} ;;
    --in_flight=*) in_flight=${arg#*=} ;;
    --self_check) self_check=1 ;;
    -h|--help)
      sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    *) extra+=("$arg") ;;
  esac
done

bench=$build_dir/tools/bench/zw-bench
echo_server=$build_dir/tools/bench/zw-bench-echo
for bin in "$bench" "$echo_server"; do
  if [[ ! -x $bin ]]; then
    echo "run_bench: $bin not found; build it with" >&2
    echo "  cmake --build $build_dir --target zw-bench zw-bench-echo" >&2
    exit 1
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/zw-bench.XXXXXX")
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

# Starts an echo server on a free port (in this shell, so that its PID is ours to stop)
# and sets the variable named $2 to its address.
start_echo() {
  local name=$1 port_file=$work/$1.port i
  "$echo_server" --listen=127.0.0.1:0 --port_file="$port_file" \
    >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for ((i = 0; i < 100; i++)); do
    if [[ -s $port_file ]]; then
      printf -v "$2" '127.0.0.1:%s' "$(cat "$port_file")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run_bench: the $name server did not start:" >&2
  cat "$work/$name.log" >&2
  return 1
}

start_echo echo echo_addr
target=report
if ((self_check)); then
  start_echo echo-a report_addr
  target=echo
fi

# authn (issue 7): the local stack verifies bearer tokens; sign one with its dev key.
auth=()
if [[ -s $root/var/dev.key ]]; then
  auth=(--auth=on --key_file="$root/var/dev.key" --kid=dev-1)
fi

"$bench" --compare --target="$target" --report_addr="$report_addr" \
  --echo_addr="$echo_addr" --in_flight="$in_flight" ${auth[@]+"${auth[@]}"} ${extra[@]+"${extra[@]}"}
