#!/usr/bin/env bash
# One entry point for a fresh Debian machine (as root) or a developer checkout:
#   ./scripts/dev.sh start   install what is missing, then start the app (desktop, or web mode)
#                            with the demo cluster (simulated; NODELESS_DEMO=0 turns it off)
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
# The meter's image build (npm run build:meter-image, meter/scripts/image) also uses apt-get
# download, dpkg-deb, tar and gzip, which every Debian has; it needs bookworm's package lists
# (ensure_apt_lists) to fetch its pinned .debs.
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

# apt-get download finds nothing before the first `apt-get update` (a fresh machine has no lists).
ensure_apt_lists() {
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "no apt package lists: run sudo apt-get update (the meter image build downloads pinned .debs)"
    return 0
  fi
  say "fetching apt package lists (the meter image build downloads pinned .debs)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
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

# The test substrate's Kubernetes control plane is built from Go modules (testkit/control-plane;
# README "Test substrate"): Go 1.26 is the machine's toolchain, never fetched here.
need_go() {
  if ! command -v go >/dev/null 2>&1; then
    say "Go 1.26 or newer is required to build the test control plane (testkit/control-plane) and was not found."
    exit 1
  fi
  go version | awk '{split($3,v,"."); sub("go","",v[1]); exit !((v[1]>1)||(v[1]==1&&v[2]>=26))}' || {
    say "$(go version) is too old: the test control plane needs Go 1.26 or newer."
    exit 1
  }
}

# Builds (or finds cached) the control plane in the background while lint, typecheck and unit
# tests run; integration tests wait for it on its lock file. One progress line per 10 %.
CP_BUILD_PID=
start_control_plane_build() {
  # Its own session, so the whole tree (npm, go, the compilers) can be stopped at once.
  setsid bash -c "npm run -s testkit -- control-plane build 2>&1 | sed -u 's/^/[background] /' >&2" &
  CP_BUILD_PID=$!
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
ensure_apt_lists
install_npm
case "$cmd" in
  setup) say "ready" ;;
  start) exec npm start ;;
  serve) exec npm run serve ;;
  test)
    need_go
    start_control_plane_build
    rc=0
    npm test || rc=$?
    # A suite that failed before the integration tests leaves the build running: stop it.
    kill -- "-$CP_BUILD_PID" 2>/dev/null || true
    wait "$CP_BUILD_PID" 2>/dev/null || true
    exit "$rc"
    ;;
esac
