#!/usr/bin/env bash
# Runs every test of the project (README: "the tests").
# On a fresh Debian machine it first installs the Debian packages the tests use: a real mosquitto broker (and its
# client library and tools), socat for pseudo-terminal pairs, unifont for the display glyphs, sqlite3, shellcheck,
# systemd (systemd-analyze), openssl (make-certs) and procps (kill: the tests stop processes with SIGTERM).
# The build goes to artifacts/build, where scripts/demo.sh finds it and only has to check it is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_debian_packages mosquitto mosquitto-clients libmosquitto1 socat unifont sqlite3 shellcheck systemd openssl procps
ensure_dotnet

results="${TEST_RESULTS_DIR:-$PWD/artifacts/test-results}"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test Kiosk.sln -c Release --artifacts-path artifacts/build --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@" || status=$?

# One plain closing line over all test assemblies, summed from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
