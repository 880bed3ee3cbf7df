#!/usr/bin/env bash
# Builds the release archive artifacts/kiosk-<version>.tar.gz: the kiosk and the centre as framework-
# dependent portable publishes (the package feed has no linux-arm64 runtime packs, so the Pi runs them
# with its own .NET 10 runtime), plus the install scripts, units, udev rules and the operator's guide.
#
#   deploy-rpi/build.sh                      build and check the archive
#   deploy-rpi/build.sh --verify ARCHIVE     only check an existing archive
#
# The check fails loudly unless both programs carry runtimes/linux-arm64/native/libe_sqlite3.so and that
# file really is an AArch64 ELF library: without it the journal cannot open on the Pi (issue 7, "Build").
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

die() {
  echo "build.sh: error: $1" >&2
  exit "${2:-1}"
}

usage() {
  cat <<'EOF'
Usage: deploy-rpi/build.sh [--version V] [--out DIR] [--artifacts-path DIR]
       deploy-rpi/build.sh --verify ARCHIVE

  --version V            version in the archive name (default: <Version> of Directory.Build.props)
  --out DIR              where the archive goes (default: artifacts/ in the repository)
  --artifacts-path DIR   dotnet's build folder (default: a fresh temp folder, so concurrent builds never collide)
  --verify ARCHIVE       check an archive made earlier and exit
EOF
}

# elf_machine FILE: the e_machine field of an ELF file as 4 hex digits (b700 = AArch64, 3e00 = x86-64).
elf_machine() {
  local magic
  magic="$(od -An -tx1 -N4 "$1" | tr -d ' \n')"
  [ "$magic" = 7f454c46 ] || { echo "not-elf"; return 0; }
  od -An -tx1 -j18 -N2 "$1" | tr -d ' \n'
}

# verify_archive ARCHIVE: everything the Pi needs is inside, in the place the installer expects it.
# A subshell, so its EXIT trap removes the scratch folder however it ends (a RETURN trap missed every failure: die exits).
verify_archive() (
  local archive="$1" listing top tmp app lib problems=0
  [ -f "$archive" ] || die "no archive at '$archive'" 66
  listing="$(tar -tzf "$archive")" || die "'$archive' is not a readable .tar.gz" 65
  top="$(head -n 1 <<<"$listing" | cut -d/ -f1)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  for app in kiosk/kiosk.dll central/kiosk-central.dll kiosk/VERSION; do
    grep -qx "$top/app/$app" <<<"$listing" || { echo "MISSING: $top/app/$app" >&2; problems=1; }
  done
  for app in kiosk central; do
    lib="$top/app/$app/runtimes/linux-arm64/native/libe_sqlite3.so"
    if ! grep -qx "$lib" <<<"$listing"; then
      echo "MISSING: $lib (the Pi's native SQLite; check the SQLitePCLRaw.bundle_e_sqlite3 reference)" >&2
      problems=1
      continue
    fi
    tar -xzf "$archive" -C "$tmp" "$lib"
    if [ "$(elf_machine "$tmp/$lib")" != b700 ]; then
      echo "WRONG: $lib is not an AArch64 ELF library (e_machine $(elf_machine "$tmp/$lib"))" >&2
      problems=1
    fi
  done
  # doc/README.md is the operator's guide both units name in Documentation= (the installers copy it to /opt).
  for f in install uninstall lib.sh systemd/kiosk.service.in udev/99-kiosk.rules.in config/kiosk.json.in \
           centre/install-centre centre/make-certs centre/kiosk-central.service.in doc/README.md; do
    grep -qx "$top/$f" <<<"$listing" || { echo "MISSING: $top/$f" >&2; problems=1; }
  done
  [ "$problems" -eq 0 ] || die "archive '$archive' is incomplete (see above); do not ship it" 1
  echo "verified: $archive ($(grep -c . <<<"$listing") entries; linux-arm64 libe_sqlite3.so present in kiosk and centre)"
)

version="" out="$repo/artifacts" build_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --verify) verify_archive "${2:?--verify needs an archive}"; exit 0 ;;
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --artifacts-path) build_dir="${2:?--artifacts-path needs a folder}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" 64 ;;
  esac
done

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is needed to build (dotnet not on PATH)" 2
if [ -z "$version" ]; then
  version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)"
fi
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || die "cannot tell the version (Directory.Build.props <Version>); pass --version" 65
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null | head -n 1)" ]; then commit="$commit-dirty"; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -n "$build_dir" ] || build_dir="$work/build"
stage="$work/kiosk-$version"
mkdir -p "$stage/app" "$stage/doc" "$out"

publish() {
  local project="$1" dest="$2"
  echo "publish: $project -> app/$(basename "$dest")"
  # UseAppHost=false: a native launcher would be for the build machine's CPU; the Pi runs `dotnet x.dll`.
  dotnet publish "$repo/$project" -c Release --no-self-contained -p:UseAppHost=false \
    -p:Version="$version" --artifacts-path "$build_dir" -o "$dest" -v quiet -nologo \
    || die "dotnet publish $project failed" 1
  printf '%s\n' "$version" >"$dest/VERSION"
  # A portable publish carries native SQLite for every platform NuGet knows (iOS, Windows, macOS, …: ~60 MB).
  # Keep only Linux on arm64 (the Pi) and x64 (an x86 centre server, the demo machine).
  local rid
  for rid in "$dest"/runtimes/*; do
    case "$(basename "$rid")" in
      linux-arm64|linux-x64|unix) ;;
      *) rm -rf "$rid" ;;
    esac
  done
}
publish Kiosk.Device/Kiosk.Device.csproj "$stage/app/kiosk"
publish Kiosk.Central/Kiosk.Central.csproj "$stage/app/central"

cp -a "$here/install" "$here/uninstall" "$here/lib.sh" "$here/systemd" "$here/udev" "$here/config" "$stage/"
mkdir -p "$stage/centre"
cp -a "$here/centre/." "$stage/centre/"
[ ! -f "$here/README.md" ] || cp "$here/README.md" "$stage/README.md"
cp "$repo/README.md" "$stage/doc/README.md"
printf 'version %s\ncommit %s\n' "$version" "$commit" >"$stage/BUILD-INFO"

archive="$out/kiosk-$version.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner -czf "$archive.tmp" -C "$work" "kiosk-$version"
mv -f "$archive.tmp" "$archive"
verify_archive "$archive"
echo "built: $archive ($(du -h "$archive" | cut -f1)); on the Pi: tar xzf $(basename "$archive") && sudo kiosk-$version/install --help"
