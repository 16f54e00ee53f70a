# Shared by the scripts: paths and the idempotent installers. Source it, don't run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build outside the clone when we can, so fresh clones on the same machine start warm.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if mkdir -p /var/cache/agora-target 2>/dev/null && [ -w /var/cache/agora-target ]; then
    export CARGO_TARGET_DIR=/var/cache/agora-target
  else
    export CARGO_TARGET_DIR="$ROOT/target"
  fi
fi
export PATH="$HOME/.cargo/bin:$PATH"
SITE="$ROOT/site"
BIN_RELEASE="$CARGO_TARGET_DIR/release/agora"

say() { printf '\n==> %s\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Everything needed to build: the wasm target and wasm-bindgen-cli at the version in
# Cargo.lock.
setup_build() {
  command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  local wb
  wb=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wb"; then
    say "installing wasm-bindgen-cli $wb (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$wb"
  fi
}

# What the server needs at run time besides its binary: DejaVu Sans for PDF certificates
# (AGORA_CERTIFICATE_FONT_DIR, default /usr/share/fonts/truetype/dejavu).
setup_runtime() {
  apt_install fonts-dejavu-core
}

# Browser tests: Debian's Chromium and the pinned npm packages in e2e/.
setup_e2e() {
  apt_install chromium
  if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    say "installing e2e node packages"
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The server in release mode and the hydrating WebAssembly bundle, into site/.
build_release() {
  say "building the server (release)"
  cargo build --release -p agora
  say "building the WebAssembly front end"
  cargo build -p app --lib --profile wasm-release --target wasm32-unknown-unknown \
    --no-default-features --features hydrate
  mkdir -p "$SITE/pkg"
  # No wasm-opt: Debian's binaryen 108 rewrites the externref table export wrongly and
  # breaks hydration (binaryen#4711). The wasm-release profile already optimises for size.
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$SITE/pkg" --out-name agora \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/app.wasm"
  cp -r assets/. "$SITE/"
  say "site built: $(du -h "$SITE/pkg/agora_bg.wasm" | cut -f1) of WebAssembly"
}

# Tools that are not Rust (Python test servers) live outside the clone when possible, like
# the build cache, so a fresh clone on the same machine does not reinstall them.
if [ -z "${AGORA_TOOLS_DIR:-}" ]; then
  if mkdir -p /var/cache/agora-tools 2>/dev/null && [ -w /var/cache/agora-tools ]; then
    AGORA_TOOLS_DIR=/var/cache/agora-tools
  else
    AGORA_TOOLS_DIR="$ROOT/.tools"
  fi
fi

# A Python virtualenv with the pinned test servers of scripts/requirements-test.txt.
setup_python_tools() {
  local venv="$AGORA_TOOLS_DIR/venv" stamp
  stamp="$venv/.requirements-$(sha256sum scripts/requirements-test.txt | cut -c1-16)"
  if [ ! -e "$stamp" ]; then
    say "installing Python test servers (scripts/requirements-test.txt)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
    touch "$stamp"
  fi
  PYTHON_TOOLS="$venv/bin"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for_port PORT NAME: up to 60 s for a server to accept connections.
wait_for_port() {
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$2 did not start on port $1" >&2
  return 1
}

SERVICE_PIDS=()
stop_test_services() {
  for pid in "${SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}

# Starts every test server of scripts/services/*.sh on 127.0.0.1 (each file starts one and
# exports the variables the tests read), and stops them when the script exits.
start_test_services() {
  trap stop_test_services EXIT
  mkdir -p "$AGORA_TOOLS_DIR/logs"
  for svc in scripts/services/*.sh; do
    [ -e "$svc" ] || continue
    # shellcheck source=/dev/null
    source "$svc"
  done
}
