# shellcheck shell=bash
# tonewall's own processes — the sandbox processor and the gateway — started into .run/RUN_NAME with
# a pid file and a log file each; `services_down` stops them (stack_down stops Kamailio and rtpengine).
# Their settings are TONEWALL_* environment variables, declared in src/config/registry/ (README "Configuration").

# shellcheck source=service-users.sh
. "$TONEWALL_ROOT/scripts/lib/service-users.sh"

# Dev key set (CA, mTLS pair, sandbox server, processor encryption keys, audit key); keeps existing keys.
services_keys() {
  ensure_node_deps
  local dir=${TONEWALL_KEYS_DIR:-keys}
  [[ "$dir" = /* ]] || dir="$TONEWALL_ROOT/$dir"
  (cd "$TONEWALL_ROOT" && npx --no-install tsx scripts/keys.ts --dir "$dir" "$@") || return 1
  # keys.ts leaves the folder root's 0700: the gateway's and the signer's users get their keys back
  service_users_keys "$dir"
}

# Customer prompts of every language into .run/prompts/<voice>/<language>/ (make-prompts.ts): a
# recording in TONEWALL_PROMPTS_RECORDED_DIR/<language>/ replaces the espeak-ng one; made again when
# the catalogue's text or the recording changes.
services_prompts() {
  local voice=${TONEWALL_PROMPT_VOICE:-en-gb}
  # the voice names a folder: the registry's pattern (src/config/registry/gateway.ts), checked before use
  if [[ ! "$voice" =~ ^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$ ]]; then
    echo "tonewall: TONEWALL_PROMPT_VOICE must be an espeak-ng voice name" >&2
    return 1
  fi
  local dir="$TONEWALL_ROOT/.run/prompts/$voice"
  (cd "$TONEWALL_ROOT" && npx --no-install tsx scripts/make-prompts.ts --dir "$dir" --voice "$voice" \
    --recorded "${TONEWALL_PROMPTS_RECORDED_DIR:-prompts/recorded}") >&2
  printf '%s' "$dir"
}

# Node flags the gateway runs with, from the one file that holds them (scripts/lib/gateway-node-flags;
# test/support/gateway-process.ts reads it too, a unit test holds the Dockerfile's CMD to it): the young
# generation capped at 4 MiB semi-spaces, ~30 MiB less RSS at 150 calls.
read -r -a GATEWAY_NODE_FLAGS <"$TONEWALL_ROOT/scripts/lib/gateway-node-flags"

# services_start RUN_NAME NAME SCRIPT READY_URL_OR_PORT [NODE_FLAG...]
services_start() {
  local run=$1 name=$2 script=$3 ready=$4
  local -a flags=("${@:5}")
  local dir pid i
  dir=$(stack_run_dir "$run")
  mkdir -p "$dir"
  if pid=$(stack_pid_of "$dir/$name.pid"); then
    echo "tonewall: $name already runs (pid $pid)"
    return 0
  fi
  # the gateway and the signer under users of their own when `up` runs as root (service-users.sh)
  local -a as=()
  case "$name" in
    gateway | gateway-b) as=("${SERVICE_GATEWAY_AS[@]}") ;;
    signer | signer-b) as=("${SERVICE_SIGNER_AS[@]}") ;;
  esac
  (cd "$TONEWALL_ROOT" && exec "${as[@]}" node "${flags[@]}" "$script") >>"$dir/$name.log" 2>&1 </dev/null &
  echo "$!" >"$dir/$name.pid"
  for i in $(seq 1 100); do
    case "$ready" in
      http*) curl -s -o /dev/null --max-time 1 "$ready" && return 0 ;;
      unix:*) [ -S "${ready#unix:}" ] && return 0 ;;
      *) stack_port_busy tcp "${ready%:*}" "${ready##*:}" && return 0 ;;
    esac
    if ! stack_pid_of "$dir/$name.pid" >/dev/null; then
      echo "tonewall: $name exited during start-up:" >&2
      tail -n 5 "$dir/$name.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "tonewall: $name did not become ready ($ready) within 10 s; see $dir/$name.log" >&2
  return 1
}

services_up() {
  local run=${1:?services_up RUN_NAME}
  ensure_node_deps
  ensure_build
  services_keys >/dev/null
  if [ -z "${TONEWALL_PROMPTS_DIR:-}" ] && [ "${TONEWALL_PROMPTS:-on}" = on ]; then
    TONEWALL_PROMPTS_DIR=$(services_prompts)
    export TONEWALL_PROMPTS_DIR
  fi
  if [ "${TONEWALL_PROCESSOR:-sandbox}" = sandbox ]; then
    services_start "$run" sandbox dist/sandbox/main.js \
      "${TONEWALL_SANDBOX_ADDR:-127.0.0.1}:${TONEWALL_SANDBOX_PORT:-8443}"
    echo "tonewall: sandbox processor up — https://${TONEWALL_SANDBOX_ADDR:-127.0.0.1}:${TONEWALL_SANDBOX_PORT:-8443} (mTLS)"
  fi
  local keys_dir=${TONEWALL_KEYS_DIR:-keys}
  [[ "$keys_dir" = /* ]] || keys_dir="$TONEWALL_ROOT/$keys_dir"
  service_users_prepare "$(stack_run_dir "$run")" "$keys_dir" || return 1
  # the audit signer: a process of its own that alone reads the signing key and signs only records
  # that extend its chain; the gateway asks it over its socket (docs/audit.md, "The signer")
  if [ -z "${TONEWALL_AUDIT_SIGNER_SOCKET:-}" ]; then
    local signer_dir
    signer_dir="$(stack_run_dir "$run")/signer"
    if ! service_users_on; then
      mkdir -p "$signer_dir"
      chmod 0700 "$signer_dir"
    fi
    export TONEWALL_AUDIT_SIGNER_SOCKET="$signer_dir/signer.sock"
    export TONEWALL_AUDIT_SIGNER_STATE=${TONEWALL_AUDIT_SIGNER_STATE:-$signer_dir/state.json}
    # a socket left by a signer that was killed would look ready before the new one listens
    stack_pid_of "$(stack_run_dir "$run")/signer.pid" >/dev/null || rm -f "$TONEWALL_AUDIT_SIGNER_SOCKET"
    services_start "$run" signer dist/signer/main.js "unix:$TONEWALL_AUDIT_SIGNER_SOCKET"
    echo "tonewall: audit signer up — $TONEWALL_AUDIT_SIGNER_SOCKET"
  fi
  # the audit log's off-host copy: this run's rsyslog, unless the audit log ships elsewhere
  if [ -z "${TONEWALL_AUDIT_SHIP_TO:-}" ]; then
    local receiver_port=${TONEWALL_AUDIT_RECEIVER_PORT:-6514}
    audit_receiver_up "$(stack_run_dir "$run")/audit-shipped" "$receiver_port" "$keys_dir" || return 1
    export TONEWALL_AUDIT_SHIP_TO="127.0.0.1:$receiver_port"
    echo "tonewall: audit receiver up — rsyslog, syslog over TLS 127.0.0.1:$receiver_port, copy in $(stack_run_dir "$run")/audit-shipped/audit.log"
  fi
  local http="http://${TONEWALL_HTTP_HOST:-127.0.0.1}:${TONEWALL_HTTP_PORT:-8080}"
  services_start "$run" gateway dist/main.js "$http/healthz" "${GATEWAY_NODE_FLAGS[@]}"
  echo "tonewall: gateway up — API and agent UI $http, log $(stack_run_dir "$run")/gateway.log"
}

services_down() {
  local run=${1:?services_down RUN_NAME}
  local dir
  dir=$(stack_run_dir "$run")
  [ -d "$dir" ] || return 0
  stack_stop_pidfile "$dir/gateway.pid" gateway
  stack_stop_pidfile "$dir/sandbox.pid" sandbox
  stack_stop_pidfile "$dir/signer.pid" "audit signer"
  # after the gateway: its last records (log.closed) are shipped as it stops
  audit_receiver_down "$dir/audit-shipped"
}

services_status() {
  local run=${1:?services_status RUN_NAME}
  local dir pid
  dir=$(stack_run_dir "$run")
  if [ -f "$dir/signer.pid" ]; then
    if pid=$(stack_pid_of "$dir/signer.pid"); then
      echo "signer     running  pid $pid  audit signer ${TONEWALL_AUDIT_SIGNER_SOCKET:-$dir/signer/signer.sock}"
    else
      echo "signer     stopped  audit signer"
    fi
  fi
  if [ -f "$dir/audit-shipped/rsyslog.pid" ]; then
    if pid=$(stack_pid_of "$dir/audit-shipped/rsyslog.pid"); then
      echo "rsyslog    running  pid $pid  audit receiver tcp 127.0.0.1:${TONEWALL_AUDIT_RECEIVER_PORT:-6514} (TLS)"
    else
      echo "rsyslog    stopped  audit receiver"
    fi
  fi
  [ -f "$dir/sandbox.pid" ] || return 0
  if pid=$(stack_pid_of "$dir/sandbox.pid"); then
    echo "sandbox    running  pid $pid  https://${TONEWALL_SANDBOX_ADDR:-127.0.0.1}:${TONEWALL_SANDBOX_PORT:-8443}"
  else
    echo "sandbox    stopped"
    return 1
  fi
}

# The gateway asks 4 MiB for its DTMF report socket (src/adapters/rtpengine/dtmf-listener.ts); Linux
# caps every SO_RCVBUF at net.core.rmem_max, 212992 bytes on a stock Debian 12, so a burst of reports
# under load could overflow it (the bench counts such drops). Run as root, `up` raises the cap to 4 MiB
# (system-wide; never lowers it); otherwise it says what the gateway will get.
services_socket_buffers() {
  local want=4194304 have
  have=$(cat /proc/sys/net/core/rmem_max 2>/dev/null) || return 0
  [ "$have" -ge "$want" ] && return 0
  if [ "$(id -u)" -eq 0 ] && echo "$want" >/proc/sys/net/core/rmem_max 2>/dev/null; then
    echo "tonewall: net.core.rmem_max raised from $have to $want (the gateway's DTMF report socket asks 4 MiB)"
  else
    echo "tonewall: net.core.rmem_max is $have: the gateway's DTMF report socket gets less than the 4 MiB it asks (raise it as root: sysctl -w net.core.rmem_max=$want)" >&2
  fi
}
