# shellcheck shell=bash
# The tonewall gateway process: start it into .run/RUN_NAME (pid file, log file). stack_down stops it.
# Its settings are TONEWALL_* environment variables (src/config/config.ts); they share names with
# stack.sh's where both read the same thing (NG, evapi, JSON-RPC, DTMF destination).

gateway_up() {
  local name=${1:?gateway_up RUN_NAME}
  local dir pid i http
  dir=$(stack_run_dir "$name")
  mkdir -p "$dir"
  if pid=$(stack_pid_of "$dir/gateway.pid"); then
    echo "tonewall: gateway already runs (pid $pid)"
    return 0
  fi
  ensure_node_deps
  ensure_build
  http="http://${TONEWALL_HTTP_HOST:-127.0.0.1}:${TONEWALL_HTTP_PORT:-8080}"
  (cd "$TONEWALL_ROOT" && exec node dist/main.js) >>"$dir/gateway.log" 2>&1 </dev/null &
  echo "$!" >"$dir/gateway.pid"
  for i in $(seq 1 100); do
    if curl -s -o /dev/null --max-time 1 "$http/healthz"; then
      echo "tonewall: gateway up — API $http, log $dir/gateway.log"
      return 0
    fi
    if ! stack_pid_of "$dir/gateway.pid" >/dev/null; then
      echo "tonewall: the gateway exited during start-up:" >&2
      tail -n 5 "$dir/gateway.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "tonewall: the gateway did not answer on $http within 10 s; see $dir/gateway.log" >&2
  return 1
}
