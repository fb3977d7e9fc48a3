#!/usr/bin/env bash
# One entry point for a fresh Debian machine (as root) or a developer checkout:
#   ./scripts/dev.sh start   install what is missing, then start the app (desktop, or web mode)
#   ./scripts/dev.sh serve   install what is missing, then start web mode
#   ./scripts/dev.sh test    install what is missing, then run the whole suite
#   ./scripts/dev.sh setup   install only
# Installs are idempotent: apt packages only when missing, npm packages (`npm ci`, exactly the
# committed lockfile) only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[dev] %s\n' "$*" >&2; }

# Debian packages the project needs at run or test time:
#  chromium            e2e browser (Playwright drives Debian's build; it never downloads one)
#  openssh-client      ssh/ssh-keygen/ssh-agent for onboarding tests
#  kubernetes-client   the real kubectl, the client of kube-sim and kubeconfig tests
#  systemd-container debootstrap iproute2 iptables   test hosts (systemd-nspawn fleets)
#  python3 make g++    node-gyp builds better-sqlite3 from source (no prebuilt downloads here)
APT_PACKAGES=(chromium openssh-client kubernetes-client systemd-container debootstrap iproute2 iptables python3 make g++ ca-certificates xz-utils zstd)

need_node() {
  if ! command -v node >/dev/null 2>&1; then
    say "Node.js 20.19+ is required and was not found. Install Node.js 20 or newer, then re-run."
    exit 1
  fi
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    say "Node.js $(node -v) is too old: Nodeless needs 20.19 or newer."
    exit 1
  }
}

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # Debian names the kubectl package differently across releases; any kubectl will do.
  if command -v kubectl >/dev/null 2>&1; then
    missing=("${missing[@]/kubernetes-client/}")
  fi
  local todo=()
  for p in "${missing[@]}"; do [ -n "$p" ] && todo+=("$p"); done
  [ ${#todo[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: ${todo[*]} — run as root or: sudo apt-get install -y ${todo[*]}"
    exit 1
  fi
  say "installing Debian packages: ${todo[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
}

install_npm() {
  local stamp=node_modules/.nodeless-lock-hash
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing npm packages (better-sqlite3 compiles from source: a few minutes)"
  # `npm ci` installs exactly the committed lockfile and never rewrites it, so a fresh clone
  # stays clean. The lockfile lists every platform's optional packages (e.g. the
  # @rollup/rollup-* binaries), which `npm ci` requires even where npm is set to
  # `omit-lockfile-registry-resolved`, as on our build machines.
  # The Electron binary cannot be downloaded on every machine; `npm start` falls back to web mode.
  ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}" npm ci --no-audit --no-fund
  # Stamp the lockfile the packages came from: the next run reinstalls only when it changes.
  sha256sum package-lock.json | cut -d' ' -f1 >"$stamp"
}

cmd="${1:-setup}"
case "$cmd" in
  setup | start | serve | test) ;;
  *)
    say "usage: ./scripts/dev.sh setup|start|serve|test"
    exit 2
    ;;
esac
need_node
install_apt
install_npm
case "$cmd" in
  setup) say "ready" ;;
  start) exec npm start ;;
  serve) exec npm run serve ;;
  test) exec npm test ;;
esac
