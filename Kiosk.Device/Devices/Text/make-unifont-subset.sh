#!/usr/bin/env bash
# Regenerates unifont-subset.hex, the glyphs shipped inside the kiosk so a Pi without the `unifont` Debian package
# still draws menus and most names (Devices/Text/README.md). Contents: printable ASCII, the 3755 hanzi of GB2312
# level 1 (the common characters, which cover most names), and every character in ui-chars.txt.
# Usage: make-unifont-subset.sh [path/to/unifont.hex]   (default: /usr/share/unifont/unifont.hex)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_hex=${1:-/usr/share/unifont/unifont.hex}
out="$here/unifont-subset.hex"
codes=$(mktemp)
trap 'rm -f "$codes"' EXIT

# UTF-16BE bytes on stdin -> one upper-case 4-digit code point per line (everything here is in the BMP).
to_code_points() {
  od -An -v -tx1 | tr -s ' \n' '  ' | awk '{ for (i = 1; i < NF; i += 2) printf "%s%s\n", toupper($i), toupper($(i + 1)) }'
}

{
  for ((c = 0x20; c <= 0x7E; c++)); do printf '%04X\n' "$c"; done
  # GB2312 level 1 = rows B0..D7, columns A1..FE, except D7FA..D7FE which are empty.
  for ((row = 0xB0; row <= 0xD7; row++)); do
    for ((col = 0xA1; col <= 0xFE; col++)); do
      if ((row == 0xD7 && col > 0xF9)); then continue; fi
      printf '%b' "\\x$(printf '%02X' "$row")\\x$(printf '%02X' "$col")"
    done
  done | iconv -f GB2312 -t UTF-16BE | to_code_points
  tr -d '\n' < "$here/ui-chars.txt" | iconv -f UTF-8 -t UTF-16BE | to_code_points
} | sort -u > "$codes"

awk -F: 'NR == FNR { want[$1] = 1; next } ($1 in want)' "$codes" "$source_hex" > "$out"
echo "wrote $(wc -l < "$out") glyphs to $out (from $source_hex)"
