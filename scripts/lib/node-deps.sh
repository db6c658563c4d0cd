# shellcheck shell=bash
# Installs the project's npm dependencies when node_modules is missing or older than package-lock.json.
# Code, not secrets: installed and built under umask 022 (stack.sh sets 077 for what the stack writes),
# so that a gateway or signer running as a user of its own can load it.

# `up --no-build` sets NODE_AS_BUILT=1 (or the environment does: the service-users test's `keys`):
# node_modules and dist/ are used as they are, nothing is installed or compiled (a test starts `up`
# beside the suite, whose dist/ and node_modules it must not touch); what is missing fails.
NODE_AS_BUILT=${NODE_AS_BUILT:-0}

ensure_node_deps() {
  if [ "$NODE_AS_BUILT" = 1 ]; then
    [ -x "$TONEWALL_ROOT/node_modules/.bin/tsx" ] && return 0
    echo "tonewall: node_modules is not installed (--no-build installs nothing: run npm ci)" >&2
    return 1
  fi
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
  if [ "$NODE_AS_BUILT" = 1 ]; then
    local main
    for main in main.js signer/main.js sandbox/main.js; do
      [ -f "$TONEWALL_ROOT/dist/$main" ] && continue
      echo "tonewall: dist/$main is missing (--no-build compiles nothing: run npm run build)" >&2
      return 1
    done
    return 0
  fi
  echo "tonewall: compiling TypeScript"
  (cd "$TONEWALL_ROOT" && umask 022 && npm run --silent build) || return 1
}
