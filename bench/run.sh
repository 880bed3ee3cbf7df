#!/usr/bin/env bash
# Runs every benchmark and prints each one's table (README: "Benchmarks").
#   ./bench/run.sh           full sizes (several minutes on a 2-core machine)
#   ./bench/run.sh --quick   small sizes, a smoke test of every benchmark
#   ./bench/run.sh core sync  only the named ones (core, drivers, device, sync, central)
# Speed and memory targets live here, never in unit tests. Each benchmark states its target beside its result.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
ensure_debian_packages mosquitto mosquitto-clients libmosquitto1 socat unifont sqlite3
ensure_dotnet

args=()
names=()
for a in "$@"; do
  case "$a" in
    --*) args+=("$a") ;;
    *) names+=("$a") ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=(core drivers device sync central)

status=0
for name in "${names[@]}"; do
  case "$name" in
    core) project=bench/Kiosk.Core.Bench ;;
    drivers) project=bench/Kiosk.Drivers.Bench ;;
    device) project=bench/Kiosk.Device.Bench ;;
    sync) project=bench/Kiosk.Sync.Bench ;;
    central) project=bench/Kiosk.Central.Bench ;;
    *) echo "unknown benchmark '$name' (core, drivers, device, sync, central)" >&2; exit 2 ;;
  esac
  echo
  echo "# benchmark: $name"
  # The same build directory as scripts/test.sh and scripts/demo.sh: after the tests nothing is built twice.
  dotnet run -c Release --artifacts-path artifacts/build --project "$project" -- "${args[@]}" || { echo "benchmark $name exited with $?" >&2; status=1; }
done
exit "$status"
