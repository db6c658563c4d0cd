# shellcheck shell=bash
# Installs the project's npm dependencies when node_modules is missing or older than package-lock.json.
# Code, not secrets: installed and built under umask 022 (stack.sh sets 077 for what the stack writes),
# so that a gateway or signer running as a user of its own can load it.

ensure_node_deps() {
  local stamp="$TONEWALL_ROOT/node_modules/.tonewall-lock.sha256"
  local want
  want=$(sha256sum "$TONEWALL_ROOT/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "tonewall: installing npm dependencies (npm ci)"
  (cd "$TONEWALL_ROOT" && umask 022 && npm ci --no-audit --no-fund --loglevel=error) || return 1
  echo "$want" >"$stamp"
}

ensure_build() {
  echo "tonewall: compiling TypeScript"
  (cd "$TONEWALL_ROOT" && umask 022 && npm run --silent build) || return 1
}
