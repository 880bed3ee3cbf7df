#!/usr/bin/env bash
# The demo (README: "the main job"): kiosk → broker → centre on this machine, end to end.
#
#   ./scripts/demo.sh                 replays a scripted morning at office "demo" and prints the centre's results
#   ./scripts/demo.sh --interactive   you type badge numbers (and f <slot>, k <keys>) at the simulated kiosk
#   KEEP=1 ./scripts/demo.sh          keeps the working folder (databases, logs) for a look afterwards
#
# It installs the Debian packages it needs when they are missing (asking for root only then), starts a mosquitto
# broker on a free loopback port with the product's own configuration (deploy-rpi/centre/mosquitto), the centre
# (`kiosk-central serve`) and a simulated kiosk (`kiosk run --simulate`), and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

interactive=false
case "${1:-}" in
  --interactive) interactive=true ;;
  "") ;;
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
  *) echo "unknown option '$1' (try --interactive)" >&2; exit 2 ;;
esac

ensure_debian_packages mosquitto mosquitto-clients libmosquitto1 unifont sqlite3
ensure_dotnet

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-demo.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "building the kiosk and the centre (Release)"
# The same output folder as scripts/test.sh: after the tests (CI runs both) this only checks it is up to date.
build="$repo/artifacts/build"
dotnet build Kiosk.Device/Kiosk.Device.csproj -c Release --artifacts-path "$build" -nologo -v quiet -clp:ErrorsOnly
dotnet build Kiosk.Central/Kiosk.Central.csproj -c Release --artifacts-path "$build" -nologo -v quiet -clp:ErrorsOnly
kiosk() { dotnet "$build/bin/Kiosk.Device/release/kiosk.dll" "$@"; }
central() { KIOSK_CENTRAL_DB="$work/central.db" dotnet "$build/bin/Kiosk.Central/release/kiosk-central.dll" "$@"; }

free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}
wait_port() {
  local _
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1 after 10 s" >&2
  return 1
}

say "starting mosquitto with the product's configuration on a loopback port"
port=$(free_port)
mkdir -p "$work/broker/data" "$work/kiosk"
# The shipped configuration, moved into the working folder; the TLS listener needs certificates (make-certs) and is
# left out here: the demo talks to the password listener on loopback, with the same ACL.
sed -e "s#/etc/mosquitto/kiosk/#$work/broker/#g" -e "s#/var/lib/mosquitto/#$work/broker/data/#g" \
    -e "s#^listener 1883 127.0.0.1#listener $port 127.0.0.1#" \
    -e '/^listener 8883/,$d' deploy-rpi/centre/mosquitto/mosquitto.conf > "$work/broker/mosquitto.conf"
# Started as root, mosquitto would drop to the 'mosquitto' user, which cannot read this private working folder.
if [ "$(id -u)" -eq 0 ]; then echo "user root" >> "$work/broker/mosquitto.conf"; fi
cp deploy-rpi/centre/mosquitto/acl "$work/broker/acl"
centre_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
kiosk_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
touch "$work/broker/passwd" && chmod 600 "$work/broker/passwd"
mosquitto_passwd -b "$work/broker/passwd" centre-1 "$centre_password"
mosquitto_passwd -b "$work/broker/passwd" kiosk-1 "$kiosk_password"
start_broker() {
  mosquitto -c "$work/broker/mosquitto.conf" >>"$work/broker/mosquitto.log" 2>&1 &
  broker_pid=$!
  pids+=("$broker_pid")
  wait_port "$port"
}
start_broker
echo "broker on 127.0.0.1:$port (log: $work/broker/mosquitto.log)"

say "the centre: roster, device registration, office configuration"
sed -e "s#@WORK@#$work#g" -e "s#@PORT@#$port#g" -e "s#@KIOSK_PASSWORD@#$kiosk_password#g" examples/demo/kiosk.json.in > "$work/kiosk.json"
central roster import examples/demo/roster.csv
kiosk identity --config "$work/kiosk.json" --out "$work/kiosk-1.pub.pem" >/dev/null
central device register --office demo --device kiosk-1 --public-key "$work/kiosk-1.pub.pem"
central config publish --office demo --out "$work/seed-config.json"
KIOSK_CENTRAL_MQTT_PASSWORD="$centre_password" central serve --port "$port" --username centre-1 \
  >"$work/centre.log" 2>&1 &
pids+=("$!")
echo "centre serving (log: $work/centre.log)"

if $interactive; then
  say "interactive kiosk: type a badge number (e.g. 0000000101) after 'f <slot>' (e.g. f 1); 'quit' ends"
  echo "workers: 1001 张三 0000000101 slot 1 · 1002 李四 0000000102 slot 2 · 1003 王五 0000000103 slot 3"
  echo "         1004 赵六 0000000104 slot 4 · 1005 钱七 0000000105 slot 5 · secretary 1009 孙书记 0000000109 slot 9"
  echo "secretary mode: k m, then f 9 and 0000000109, then menu digits with k (e.g. k 1 1 0 0 5 e 1 1)"
  kiosk run --simulate --config "$work/kiosk.json" 2>"$work/kiosk.log"
  day=$(date +%F)
else
  say "a scripted morning at the door (Monday 2 March 2026, simulated clock)"
  mkfifo "$work/kiosk.in"
  kiosk run --simulate --config "$work/kiosk.json" --clock-start 2026-03-02T07:50:00+08:00 \
    <"$work/kiosk.in" 2>"$work/kiosk.log" &
  kiosk_pid=$!
  pids+=("$kiosk_pid")
  exec 7>"$work/kiosk.in"
  step() { local line; for line in "$@"; do printf '%s\n' "$line" >&7; done; sleep 2.5; }
  narrate() { printf '\n\033[36m-- %s\033[0m\n' "$*"; }
  sleep 3
  narrate "07:52 张三 arrives: card, then finger"
  step "at 07:52" "f 1" "0000000101"
  narrate "07:55 孙书记 (the secretary) arrives"
  step "at 07:55" "f 9" "0000000109"
  narrate "07:58 李四 arrives"
  step "at 07:58" "f 2" "0000000102"
  narrate "07:59 李四 taps again: a duplicate, nothing changes"
  step "at 07:59" "f 2" "0000000102"
  narrate "the broker restarts (SIGTERM) while people keep arriving: the kiosk records offline"
  kill -TERM "$broker_pid"; wait "$broker_pid" 2>/dev/null || true
  narrate "08:03 王五 arrives late"
  step "at 08:03" "f 3" "0000000103"
  narrate "08:04 a card nobody registered"
  step "at 08:04" "0000099999"
  narrate "08:06 赵六: the finger is not recognised, then the retry works"
  step "at 08:06" "f ?" "0000000104"
  step "at 08:07" "f 4" "0000000104"
  narrate "the broker is back"
  start_broker
  narrate "08:20 the secretary marks that 钱七 is at a meeting: Menu, own badge + finger, 1 标明原因, worker 1005, 今天上午, 开会"
  step "at 08:20" "k m"
  step "f 9" "0000000109"
  step "k 1" "k 1 0 0 5 e"
  step "k 1"
  step "k 1"
  step "k b b"
  narrate "waiting until the centre has acknowledged every event of the kiosk"
  last=$(sqlite3 -readonly "$work/kiosk/journal.db" 'SELECT max(seq) FROM journal')
  for _ in $(seq 1 60); do
    stored=$(sqlite3 -readonly "$work/central.db" "SELECT count(*) FROM events WHERE device_id = 'kiosk-1'" 2>/dev/null || echo 0)
    [ "$stored" -ge "$last" ] && break
    sleep 1
  done
  echo "kiosk journal: $last events; stored at the centre: $stored"
  if [ "$stored" -lt "$last" ]; then
    echo "the centre did not receive every event within 60 s: see $work/kiosk.log and $work/centre.log (KEEP=1 keeps them)" >&2
    exit 1
  fi
  step "quit"
  exec 7>&-
  wait "$kiosk_pid" || true
  day=2026-03-02
fi

say "the centre's board for $day"
central board --office demo --date "$day"
month=${day:0:7}
say "the month's report ($month), CSV"
central report month --month "$month" --office demo --out "$work/report-$month.csv" >/dev/null
cat "$work/report-$month.csv"
central report month --month "$month" --office demo --out "$work/report-$month.xlsx" >/dev/null
echo
echo "(also written as XLSX: $work/report-$month.xlsx; run with KEEP=1 to keep it)"
say "done: stopping the kiosk, the centre and the broker"
