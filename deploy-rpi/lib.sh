# shellcheck shell=bash
# Shared helpers for install, uninstall and centre/install-centre.
#
# Two kinds of action, kept apart so that --dry-run can be trusted (issue 7, "Tested here without a Pi"):
#  - files laid out under $ROOT (put_file, put_dir, put_text): always done, under --root DIR when given;
#  - system changes (users, packages, raspi-config, systemctl, udevadm, chown): run_sys prints them as
#    "would run: ..." in dry-run mode and never executes them.
# The scripts refuse --root without --dry-run (and --dry-run without --root), so a dry run can never
# touch the machine it runs on, even as root.

ROOT=""
DRY_RUN=0

die() {
  echo "error: $1" >&2
  exit "${2:-1}"
}

note() {
  echo "note: $*"
}

# quote_args ARGS...: the command line as a shell would read it back.
quote_args() {
  local out="" a
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then
      out+="$a "
    else
      out+="$(printf '%q' "$a") "
    fi
  done
  printf '%s' "${out% }"
}

# run_sys CMD ARGS...: a change to the running system (never done in dry-run mode).
run_sys() {
  if [ "$DRY_RUN" -eq 1 ]; then
    echo "would run: $(quote_args "$@")"
  else
    echo "+ $(quote_args "$@")"
    "$@"
  fi
}

# dest PATH: where an absolute system path lands (under --root in dry-run mode).
dest() {
  printf '%s%s' "$ROOT" "$1"
}

# put_dir PATH MODE: create a directory (and parents) with a mode.
put_dir() {
  mkdir -p "$(dest "$1")"
  chmod "$2" "$(dest "$1")"
  echo "dir:  $1 ($2)"
}

# put_file SRC PATH MODE: copy one file into place with a mode.
put_file() {
  install -D -m "$3" "$1" "$(dest "$2")"
  echo "file: $2 ($3)"
}

# put_text PATH MODE: write stdin to a file with a mode (via a temp file, so a cut never leaves half a file).
put_text() {
  local target tmp
  target="$(dest "$1")"
  mkdir -p "$(dirname "$target")"
  tmp="$(mktemp "$target.XXXXXX")"
  cat >"$tmp"
  chmod "$2" "$tmp"
  mv -f "$tmp" "$target"
  echo "file: $1 ($2)"
}

# set_owner OWNER PATH...: chown needs the service user, which a dry run does not create.
set_owner() {
  local owner="$1" p
  shift
  for p in "$@"; do
    if [ "$DRY_RUN" -eq 1 ]; then
      echo "would run: chown $owner $p"
    else
      echo "+ chown $owner $p"
      chown "$owner" "$p"
    fi
  done
}

# check_mode_flags: the safety rule described at the top of this file.
check_mode_flags() {
  if [ -n "$ROOT" ] && [ "$DRY_RUN" -ne 1 ]; then
    die "--root is only allowed together with --dry-run (a real install always goes to /)" 64
  fi
  if [ "$DRY_RUN" -eq 1 ] && [ -z "$ROOT" ]; then
    die "--dry-run needs --root DIR: the files are laid out there and nothing else changes" 64
  fi
  if [ "$DRY_RUN" -ne 1 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo $0 ...), or try it first with --root DIR --dry-run" 77
  fi
  if [ -n "$ROOT" ]; then
    case "$ROOT" in
      /*) ;;
      *) ROOT="$PWD/$ROOT" ;;
    esac
    ROOT="${ROOT%/}"
    [ "$ROOT" != "" ] || die "--root / is not a dry run; leave out --root and --dry-run instead" 64
    mkdir -p "$ROOT"
  fi
}

# find_dotnet: the dotnet host to run the framework-dependent build with ($DOTNET overrides).
find_dotnet() {
  if [ -n "${DOTNET:-}" ]; then
    printf '%s' "$DOTNET"
  elif command -v dotnet >/dev/null 2>&1; then
    command -v dotnet
  elif [ -n "${DOTNET_HOST_PATH:-}" ] && [ -x "$DOTNET_HOST_PATH" ]; then
    # Set by `dotnet test` and `dotnet run`: the host that runs us, when it is not on PATH (CI, ~/.dotnet).
    printf '%s' "$DOTNET_HOST_PATH"
  elif [ -x /usr/share/dotnet/dotnet ]; then
    printf '%s' /usr/share/dotnet/dotnet
  else
    printf '%s' /usr/bin/dotnet
  fi
}

# require_dotnet_runtime DOTNET: the kiosk is published framework-dependent (the package feed has no
# linux-arm64 runtime packs), so the .NET 10 runtime must be on the machine. Checked in dry runs too:
# it is a check, not a change.
require_dotnet_runtime() {
  local dotnet="$1"
  if [ -x "$dotnet" ] && "$dotnet" --list-runtimes 2>/dev/null | grep -q '^Microsoft\.NETCore\.App 10\.'; then
    echo "check: .NET runtime 10 found ($dotnet)"
    return 0
  fi
  cat >&2 <<'EOF'
error: the .NET 10 runtime (Microsoft.NETCore.App 10.x) is not installed.
Install it with these three commands, then run this installer again:

  curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
  sudo bash /tmp/dotnet-install.sh --channel 10.0 --runtime dotnet --install-dir /usr/share/dotnet --no-path
  sudo ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet

(Check with: dotnet --list-runtimes   It must list "Microsoft.NETCore.App 10.".)
EOF
  exit 3
}

# ensure_group NAME: groups the service needs; Raspberry Pi OS has them all, plain Debian lacks gpio and i2c.
ensure_group() {
  if [ "$DRY_RUN" -eq 1 ] || ! getent group "$1" >/dev/null 2>&1; then
    run_sys groupadd --system -f "$1"
  fi
}

# ensure_system_user NAME HOME GROUPS: a locked system account without a shell.
ensure_system_user() {
  local name="$1" home="$2" groups="$3"
  if [ "$DRY_RUN" -eq 1 ] || ! getent passwd "$name" >/dev/null 2>&1; then
    run_sys useradd --system --user-group --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$name"
  fi
  if [ -n "$groups" ]; then
    run_sys usermod --append --groups "$groups" "$name"
  fi
}

# apt_install PKG...: Debian packages, installed only when missing (dry run: always printed).
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    if [ "$DRY_RUN" -eq 1 ] || ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && { echo "check: Debian packages present: $*"; return 0; }
  run_sys apt-get update -qq
  run_sys env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# replace_tree SRC PATH: installs a program folder as a whole; the previous one is kept as PATH.prev for a
# rollback, and a cut in the middle leaves either the old or the new folder at PATH, never a mix.
replace_tree() {
  local src="$1" target new
  target="$(dest "$2")"
  new="$target.new"
  rm -rf "$new"
  mkdir -p "$new"
  cp -a "$src/." "$new/"
  if [ -e "$target" ]; then
    rm -rf "$target.prev"
    mv "$target" "$target.prev"
  fi
  mv "$new" "$target"
  echo "tree: $2"
}
