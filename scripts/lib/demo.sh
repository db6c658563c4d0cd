# shellcheck shell=bash
# `./scripts/tonewall demo` and `demo-call`'s set-up: the integration key and the agent desktop's sign-in
# (kept in .run/<run>/). Sourced by scripts/tonewall (RUN_NAME, run_tsx, cmd_up).

# The demo's integration key: TONEWALL_API_KEY if given, else one kept in .run/<run>/demo-api-key.
demo_api_key() {
  local file
  file="$(stack_run_dir "$RUN_NAME")/demo-api-key"
  if [ -z "${TONEWALL_API_KEY:-}" ]; then
    mkdir -p "$(dirname "$file")"
    [ -s "$file" ] || (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
    TONEWALL_API_KEY=$(cat "$file")
  fi
  export TONEWALL_API_KEY
}

# The demo's sign-in for the agent desktop: user "demo", agent id of the demo call, a password kept in
# .run/<run>/demo-password (mode 0600), made once.
demo_sign_in() {
  local file
  file="$(stack_run_dir "$RUN_NAME")/demo-password"
  [ -s "$file" ] || (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
  DEMO_SIGN_IN_PASSWORD=$(cat "$file") run_tsx scripts/users.ts add demo --role agent \
    --agent-id agent-demo --name "Demo Agent" --password-env DEMO_SIGN_IN_PASSWORD >/dev/null
  DEMO_PASSWORD=$(cat "$file")
}

cmd_demo() {
  demo_api_key
  # The demo's desk sign-in asks no one-time code unless TONEWALL_MFA says otherwise; the desk shows a
  # warning banner and the gateway logs one (`up` alone keeps the default: codes required).
  export TONEWALL_MFA="${TONEWALL_MFA:-off}"
  cmd_up
  demo_sign_in
  local http="http://${TONEWALL_HTTP_HOST:-127.0.0.1}:${TONEWALL_HTTP_PORT:-8080}"
  if ! curl -s -f -o /dev/null -H "Authorization: Bearer $TONEWALL_API_KEY" "$http/v1/calls"; then
    echo "tonewall: the running gateway does not take this run's key; './scripts/tonewall down' and try again" >&2
    exit 1
  fi
  echo "tonewall: placing the demo call"
  run_tsx scripts/demo.ts
  echo
  echo "tonewall: the stack keeps running."
  echo "  agent desktop: $http/   sign in as 'demo', password $DEMO_PASSWORD (agent id agent-demo)"
  # what the running gateway does (it may have been started by 'up', with codes required)
  local session
  session=$(curl -s -H "Authorization: Bearer $TONEWALL_API_KEY" "$http/v1/session" || true)
  case "$session" in
    *'"mfa":"off"'*)
      echo "                 one-time codes are OFF for this demo (TONEWALL_MFA=off); 'up' alone requires them" ;;
    *)
      echo "                 then set up an authenticator app with the key the desk shows (codes are required)" ;;
  esac
  echo "  API key:       $TONEWALL_API_KEY"
  echo "  a call to take by hand in the desktop: ./scripts/tonewall demo-call --by-hand"
  echo "tonewall: './scripts/tonewall down' stops it."
}
