# shellcheck shell=bash
# Start, stop, restart and report the stack of a run (the three rtpengines, then Kamailio) in
# .run/RUN_NAME. Sourced by stack.sh (stack_defaults, stack_render_kamailio_cfg, stack_rtpengine_args).

# shellcheck source=stack-pair.sh
. "$TONEWALL_ROOT/scripts/lib/stack-pair.sh"

stack_up() {
  local name=${1:?stack_up RUN_NAME}
  stack_defaults
  stack_require
  local dir
  dir=$(stack_run_dir "$name")
  mkdir -p "$dir"
  # logs a run before the umask made stay as they were: make them the owner's alone too
  chmod 0700 "$dir"
  local log
  for log in "$dir"/kamailio*.log "$dir"/rtpengine*.log; do
    if [ -e "$log" ]; then chmod 0600 "$log"; fi
  done

  if stack_pid_of "$dir/rtpengine.pid" >/dev/null && stack_pid_of "$dir/rtpengine-mask.pid" >/dev/null &&
    stack_pid_of "$dir/rtpengine-mute.pid" >/dev/null &&
    stack_pid_of "$dir/kamailio.pid" >/dev/null; then
    echo "tonewall: stack '$name' already runs"
    return 0
  fi
  # a half-started stack: stop what is left, then start clean
  stack_down "$name" >/dev/null

  local dtmf_host=${TONEWALL_DTMF_LOG_DEST%:*}
  local -a busy=()
  stack_port_busy udp "$TONEWALL_NG_ADDR" "$TONEWALL_NG_PORT" && busy+=("rtpengine NG udp:$TONEWALL_NG_PORT")
  stack_port_busy udp "$TONEWALL_NG_ADDR" "$TONEWALL_MASK_NG_PORT" && busy+=("rtpengine (mask) NG udp:$TONEWALL_MASK_NG_PORT")
  stack_port_busy udp "$TONEWALL_NG_ADDR" "$TONEWALL_MUTE_NG_PORT" && busy+=("rtpengine (mute) NG udp:$TONEWALL_MUTE_NG_PORT")
  stack_port_busy udp "$TONEWALL_SIP_ADDR" "$TONEWALL_SIP_PORT" && busy+=("SIP udp:$TONEWALL_SIP_PORT")
  stack_port_busy tcp "$TONEWALL_EVAPI_ADDR" "$TONEWALL_EVAPI_PORT" && busy+=("evapi tcp:$TONEWALL_EVAPI_PORT")
  stack_port_busy tcp "$TONEWALL_RPC_ADDR" "$TONEWALL_RPC_PORT" && busy+=("JSON-RPC tcp:$TONEWALL_RPC_PORT")
  if [ "${#busy[@]}" -gt 0 ]; then
    echo "tonewall: ports already in use by another process: ${busy[*]}" >&2
    return 1
  fi
  case "$dtmf_host" in
    127.* | ::1 | '[::1]' | localhost) ;;
    *) echo "tonewall: warning: DTMF events go to $TONEWALL_DTMF_LOG_DEST, beyond loopback" >&2 ;;
  esac

  # the firewall before any control plane listens
  stack_firewall_up "$name" || return 1
  stack_start_rtpengine "$name" "$dir" || return 1
  # `up --pair`: Redis and the second chain, before Kamailio tests its rtpengines
  if stack_pair_on "$dir"; then stack_pair_up "$name" || return 1; fi
  stack_start_kamailio "$name" "$dir" || return 1
  echo "tonewall: stack '$name' up — SIP $TONEWALL_SIP_ADDR:$TONEWALL_SIP_PORT, rtpengine NG $TONEWALL_NG_ADDR:$TONEWALL_NG_PORT, evapi $TONEWALL_EVAPI_ADDR:$TONEWALL_EVAPI_PORT, JSON-RPC http://$TONEWALL_RPC_ADDR:$TONEWALL_RPC_PORT/RPC, logs in $dir"
}

# The three rtpengines for run NAME in DIR (stack_up's half; also used by stack_restart): the edge
# (rtpengine.pid, rtpengine.log), the mask hop (rtpengine-mask.*) and the mute hop (rtpengine-mute.*).
stack_start_rtpengine() {
  local name=$1 dir=$2
  stack_start_rtpengine_hop "$name" "$dir" edge rtpengine "$TONEWALL_NG_PORT" &&
    stack_start_rtpengine_hop "$name" "$dir" mask rtpengine-mask "$TONEWALL_MASK_NG_PORT" &&
    stack_start_rtpengine_hop "$name" "$dir" mute rtpengine-mute "$TONEWALL_MUTE_NG_PORT"
}

stack_start_rtpengine_hop() {
  local name=$1 dir=$2 hop=$3 file=$4 ng_port=$5
  local -a args=()
  stack_rtpengine_args args "$hop" --pidfile="$dir/$file.pid.daemon"
  rtpengine "${args[@]}" >>"$dir/$file.log" 2>&1 </dev/null &
  echo "$!" >"$dir/$file.pid"
  if ! stack_wait_port udp "$TONEWALL_NG_ADDR" "$ng_port" "rtpengine ($hop)" "$dir/$file.pid"; then
    tail -n 20 "$dir/$file.log" >&2 || true
    stack_down "$name" >/dev/null
    return 1
  fi
}

# Kamailio for run NAME in DIR: render and check the config, start, wait for SIP and evapi.
stack_start_kamailio() {
  local name=$1 dir=$2
  if ! stack_render_kamailio_cfg "$dir/kamailio.cfg"; then
    stack_down "$name" >/dev/null
    return 1
  fi
  stack_pair_kamailio_cfg "$dir" "$dir/kamailio.cfg" || return 1
  if ! kamailio -c -f "$dir/kamailio.cfg" >"$dir/kamailio-check.log" 2>&1; then
    echo "tonewall: generated $dir/kamailio.cfg does not parse:" >&2
    tail -n 20 "$dir/kamailio-check.log" >&2 || true
    stack_down "$name" >/dev/null
    return 1
  fi
  # -DD: stay in the foreground (we track the PID), -E: log to stderr → kamailio.log, not syslog.
  kamailio -f "$dir/kamailio.cfg" -DD -E -m 64 -M 8 -P "$dir/kamailio.pid.daemon" \
    >>"$dir/kamailio.log" 2>&1 </dev/null &
  echo "$!" >"$dir/kamailio.pid"
  if ! stack_wait_port udp "$TONEWALL_SIP_ADDR" "$TONEWALL_SIP_PORT" kamailio "$dir/kamailio.pid" ||
    ! stack_wait_port tcp "$TONEWALL_EVAPI_ADDR" "$TONEWALL_EVAPI_PORT" "kamailio evapi" "$dir/kamailio.pid"; then
    tail -n 20 "$dir/kamailio.log" >&2 || true
    stack_down "$name" >/dev/null
    return 1
  fi
}

# Restart Kamailio or rtpengine alone (fault tests): TERM by its pid file, wait PAUSE seconds
# (default 0), start it again with the environment's settings. Kamailio reads its dialogs back from
# its dialog database (kamailio.cfg); rtpengine's media state is gone (no Redis keyspace here). Usage: stack_restart kamailio|rtpengine RUN [PAUSE]
stack_restart() {
  local component=${1:?stack_restart kamailio|rtpengine RUN_NAME [PAUSE]}
  local name=${2:?stack_restart kamailio|rtpengine RUN_NAME [PAUSE]}
  case "$component" in
    kamailio | rtpengine) ;;
    *)
      echo "tonewall: stack_restart: no component '$component' (kamailio or rtpengine)" >&2
      return 1
      ;;
  esac
  stack_defaults
  local dir
  dir=$(stack_run_dir "$name")
  stack_stop_pidfile "$dir/$component.pid" "$component"
  if [ "$component" = rtpengine ]; then
    stack_stop_pidfile "$dir/rtpengine-mask.pid" "rtpengine (mask)"
    stack_stop_pidfile "$dir/rtpengine-mute.pid" "rtpengine (mute)"
  fi
  sleep "${3:-0}"
  "stack_start_$component" "$name" "$dir"
}

stack_down() {
  local name=${1:?stack_down RUN_NAME}
  stack_defaults
  local dir
  dir=$(stack_run_dir "$name")
  [ -d "$dir" ] || return 0
  # Hook: the gateway (gateway.pid) is stopped first once scripts/tonewall starts it.
  stack_stop_pidfile "$dir/gateway.pid" gateway
  stack_stop_pidfile "$dir/kamailio.pid" kamailio
  stack_stop_pidfile "$dir/rtpengine.pid" rtpengine
  stack_stop_pidfile "$dir/rtpengine-mask.pid" "rtpengine (mask)"
  stack_stop_pidfile "$dir/rtpengine-mute.pid" "rtpengine (mute)"
  stack_pair_down "$dir"
  stack_firewall_down "$name"
  # the dialogs end with the stack (their media is gone): a later `up` must not list them
  rm -f "$dir/kamailio.cfg" "$dir/kamailio-check.log" "$dir"/kamailio-dialogs.sqlite*
}

stack_status() {
  local name=${1:?stack_status RUN_NAME}
  stack_defaults
  local dir pid rc=0
  dir=$(stack_run_dir "$name")
  if pid=$(stack_pid_of "$dir/rtpengine.pid"); then
    echo "rtpengine  running  pid $pid  edge (customer side)  NG $TONEWALL_NG_ADDR:$TONEWALL_NG_PORT  RTP $TONEWALL_MEDIA_ADDR:$TONEWALL_RTP_PORT_MIN-$STACK_RTP_PORT_SPLIT"
  else
    echo "rtpengine  stopped  edge (customer side)"
    rc=1
  fi
  if pid=$(stack_pid_of "$dir/rtpengine-mask.pid"); then
    echo "rtpengine  running  pid $pid  mask (in-band tones)  NG $TONEWALL_NG_ADDR:$TONEWALL_MASK_NG_PORT  RTP $TONEWALL_MEDIA_ADDR:$((STACK_RTP_PORT_SPLIT + 1))-$STACK_RTP_PORT_SPLIT2"
  else
    echo "rtpengine  stopped  mask (in-band tones)"
    rc=1
  fi
  if pid=$(stack_pid_of "$dir/rtpengine-mute.pid"); then
    echo "rtpengine  running  pid $pid  mute (agent side)  NG $TONEWALL_NG_ADDR:$TONEWALL_MUTE_NG_PORT  RTP $TONEWALL_MEDIA_ADDR:$((STACK_RTP_PORT_SPLIT2 + 1))-$TONEWALL_RTP_PORT_MAX"
  else
    echo "rtpengine  stopped  mute (agent side)"
    rc=1
  fi
  if pid=$(stack_pid_of "$dir/kamailio.pid"); then
    echo "kamailio   running  pid $pid  SIP $TONEWALL_SIP_ADDR:$TONEWALL_SIP_PORT  evapi $TONEWALL_EVAPI_ADDR:$TONEWALL_EVAPI_PORT  RPC http://$TONEWALL_RPC_ADDR:$TONEWALL_RPC_PORT/RPC"
  else
    echo "kamailio   stopped"
    rc=1
  fi
  stack_pair_status "$dir" || rc=1
  if [ -f "$dir/gateway.pid" ]; then
    if pid=$(stack_pid_of "$dir/gateway.pid"); then
      echo "gateway    running  pid $pid"
      stack_gateway_health
    else
      echo "gateway    stopped"
      rc=1
    fi
  fi
  return "$rc"
}

# The gateway's /healthz, one line per component that is not up (a missing prompt file shows here:
# "prompts degraded 3 prompt file(s) missing: es-ES/ask-security-code.wav …").
stack_gateway_health() {
  local url="http://${TONEWALL_HTTP_HOST:-127.0.0.1}:${TONEWALL_HTTP_PORT:-8080}/healthz" body
  if ! body=$(curl -s --max-time 3 "$url"); then
    echo "gateway    $url does not answer"
    return 0
  fi
  node -e '
    let health;
    try { health = JSON.parse(process.argv[1]); } catch { console.log("gateway    /healthz: not JSON"); process.exit(0); }
    for (const [name, { status, detail }] of Object.entries(health.components ?? {})) {
      if (status !== "up") console.log(`gateway    ${name}  ${status}${detail ? `  ${detail}` : ""}`);
    }
  ' "$body"
}
