# shellcheck shell=bash
# `up --pair` (issue 19): the second gateway, beside the first, on the pair's Redis. Sourced by
# scripts/tonewall after services.sh and stack.sh.
#
# Each gateway reads the DTMF reports of one media chain: the first gateway the first chain's
# (TONEWALL_DTMF_LOG_DEST, TONEWALL_MASK_DTMF_LOG_DEST), the second the second chain's (those ports
# − TONEWALL_PAIR_PORT_OFFSET), and drives that chain's NG ports (prompts, the mute while capturing).
# Card digits so stay on the host of the chain that carried them; a call's payment must be taken by
# the gateway of its chain (docs/operations.md, "The pair": which chain carries a call is Kamailio's
# dialog variable `media_node`). Both share agents' sessions, idempotency keys, payment statuses,
# charges in doubt and status callbacks through Redis; each has its own audit log and audit signer
# (a signer signs one chain of records).

# The first gateway's part of the pair: the shared store. Call before services_up.
services_pair_first() {
  stack_pair_defaults
  export TONEWALL_STATE_STORE=redis TONEWALL_REDIS_URL="redis://127.0.0.1:$TONEWALL_PAIR_REDIS_PORT"
  export TONEWALL_INSTANCE_NAME=${TONEWALL_INSTANCE_NAME:-gw-a}
}

# The second gateway (and its audit signer): its own HTTP port, chain, files and instance name.
services_pair_up() {
  local run=${1:?services_pair_up RUN_NAME} dir
  dir=$(stack_run_dir "$run")
  (
    stack_defaults
    stack_pair_defaults
    local port=$((${TONEWALL_HTTP_PORT:-8080} + TONEWALL_PAIR_PORT_OFFSET))
    stack_pair_env
    export TONEWALL_HTTP_PORT=$port TONEWALL_INSTANCE_NAME=gw-b
    export TONEWALL_AUDIT_DIR="$dir/b/audit" TONEWALL_STATE_DB="$dir/b/state.sqlite"
    export TONEWALL_PAYMENT_STATUS_FILE="$dir/b/payments.jsonl"
    export TONEWALL_AUDIT_SIGNER_SOCKET="$dir/signer-b/signer.sock"
    export TONEWALL_AUDIT_SIGNER_STATE="$dir/signer-b/state.json"
    mkdir -p "$dir/b/audit" "$dir/signer-b"
    chmod 0700 "$dir/b" "$dir/signer-b"
    if service_users_on; then
      chown -R "$SERVICE_GATEWAY_USER:$SERVICE_GATEWAY_USER" "$dir/b"
      chown -R "$SERVICE_SIGNER_USER:$SERVICE_AUDIT_GROUP" "$dir/signer-b" && chmod 0750 "$dir/signer-b"
      chmod 0711 "$dir/b"
    fi
    stack_pid_of "$dir/signer-b.pid" >/dev/null || rm -f "$TONEWALL_AUDIT_SIGNER_SOCKET"
    services_start "$run" signer-b dist/signer/main.js "unix:$TONEWALL_AUDIT_SIGNER_SOCKET" || exit 1
    local http="http://${TONEWALL_HTTP_HOST:-127.0.0.1}:$port"
    services_start "$run" gateway-b dist/main.js "$http/healthz" "${GATEWAY_NODE_FLAGS[@]}" || exit 1
    echo "tonewall: second gateway up — API and agent UI $http (chain B), log $dir/gateway-b.log"
  )
}

services_pair_down() {
  local dir
  dir=$(stack_run_dir "${1:?services_pair_down RUN_NAME}")
  [ -d "$dir" ] || return 0
  stack_stop_pidfile "$dir/gateway-b.pid" "gateway (second)"
  stack_stop_pidfile "$dir/signer-b.pid" "audit signer (second)"
}

services_pair_status() {
  local dir pid rc=0
  dir=$(stack_run_dir "${1:?services_pair_status RUN_NAME}")
  stack_pair_on "$dir" || return 0
  stack_defaults
  stack_pair_defaults
  local port=$((${TONEWALL_HTTP_PORT:-8080} + TONEWALL_PAIR_PORT_OFFSET))
  if pid=$(stack_pid_of "$dir/gateway-b.pid"); then
    echo "gateway    running  pid $pid  second (chain B)  http://${TONEWALL_HTTP_HOST:-127.0.0.1}:$port"
    TONEWALL_HTTP_PORT=$port stack_gateway_health
  else
    echo "gateway    stopped  second (chain B)"
    rc=1
  fi
  if pid=$(stack_pid_of "$dir/signer-b.pid"); then
    echo "signer     running  pid $pid  audit signer of the second gateway"
  else
    echo "signer     stopped  audit signer of the second gateway"
    rc=1
  fi
  return "$rc"
}
