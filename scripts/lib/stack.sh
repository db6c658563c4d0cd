# shellcheck shell=bash
# The call path: install, start, stop and report Kamailio + rtpengine on loopback.
#
#   stack_install            apt-get what is missing (kamailio, rtpengine, sipp, …); idempotent
#   stack_up RUN_NAME        start rtpengine then Kamailio; state in $TONEWALL_ROOT/.run/RUN_NAME
#   stack_down RUN_NAME      stop what stack_up started (PIDs from its pid files only)
#   stack_status RUN_NAME    say what runs; exit 0 only when everything runs
#   stack_restart kamailio|rtpengine RUN_NAME [PAUSE]   restart one of them (fault tests)
#
# Every address and port comes from an environment variable with a loopback default (below).
# Logs go to .run/RUN_NAME/{kamailio,rtpengine}.log at levels that print no digit (rtpengine does
# print the SDP of an offer it refuses: docs/operations.md "Hostile SIP").
# Sourced by scripts/tonewall and by test/support/stack.ts (through `bash -c`).

: "${TONEWALL_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

stack_defaults() {
  : "${TONEWALL_SIP_ADDR:=127.0.0.1}"
  : "${TONEWALL_SIP_PORT:=5060}"
  : "${TONEWALL_EVAPI_ADDR:=127.0.0.1}"
  : "${TONEWALL_EVAPI_PORT:=8448}"
  : "${TONEWALL_RPC_ADDR:=127.0.0.1}"
  : "${TONEWALL_RPC_PORT:=5071}"
  : "${TONEWALL_NG_ADDR:=127.0.0.1}"
  : "${TONEWALL_NG_PORT:=2223}"
  : "${TONEWALL_CLI_PORT:=2224}"
  # The second rtpengine, the masking hop between the edge (customer side) and the agent.
  : "${TONEWALL_MASK_NG_PORT:=2225}"
  : "${TONEWALL_MASK_CLI_PORT:=2226}"
  : "${TONEWALL_MEDIA_ADDR:=127.0.0.1}"
  : "${TONEWALL_RTP_PORT_MIN:=30000}"
  : "${TONEWALL_RTP_PORT_MAX:=30999}"
  : "${TONEWALL_DTMF_LOG_DEST:=127.0.0.1:9999}"
  # The mask hop's reports (in-band tones) go to the gateway too, on the port below (the gateway
  # makes the same default: src/config/config.ts; declared in src/config/registry/masking.ts).
  : "${TONEWALL_MASK_DTMF_LOG_DEST:=${TONEWALL_DTMF_LOG_DEST%:*}:$((${TONEWALL_DTMF_LOG_DEST##*:} - 1))}"
  : "${TONEWALL_PBX_SOURCE:=127.0.0.2}"
  : "${TONEWALL_PBX_TARGET:=sip:127.0.0.2:5080}"
  : "${TONEWALL_CARRIER_TARGET:=sip:127.0.0.3:5080}"
  : "${TONEWALL_AGENT_HEADER:=X-Agent-Id}"
  : "${TONEWALL_DLG_TIMEOUT:=14400}"
  : "${TONEWALL_DLG_KEEPALIVE:=0}"
  # Two rtpengines in a chain (docs/media.md, "Two hops"): the edge, facing the customer, drops the
  # customer's RFC 4733 events and reports them, without touching audio; the mask hop, facing the
  # agent, runs the in-band detector on the customer's audio (which then never holds tones that
  # rtpengine synthesised from events) and replaces detected tones with silence. The delay buffer is
  # the mask hop's: the time the detector needs to recognise a tone before the frame leaves.
  : "${TONEWALL_MASK_DELAY_BUFFER:=50}"
  # rtpengine's worker threads: one fewer than the cores (at least one), leaving a core to the gateway
  # and Kamailio. rtpengine's own default (one per core) took 61–69 % of a core at 150 masked calls on
  # 2 cores, one thread 44 %, with lower DTMF-to-screen latency (docs/benchmarks.md).
  : "${TONEWALL_RTPE_THREADS:=$(($(nproc) > 2 ? $(nproc) - 1 : 1))}"
  # rtpengine flags. The defaults are the masking configuration measured in docs/media.md:
  # detect-DTMF runs the in-band detector even when the customer offered telephone-event.
  : "${TONEWALL_RTPE_OFFER_FLAGS:=replace-origin replace-session-connection ICE=remove RTP/AVP}"
  : "${TONEWALL_RTPE_ANSWER_FLAGS:=replace-origin replace-session-connection ICE=remove RTP/AVP}"
  : "${TONEWALL_EDGE_BLOCK_DTMF_FLAGS:=}"
  # The mask hop plays the customer's audio out on its own clock and fills every hole in the RTP
  # timeline with silence (--dtx-delay; --max-dtx=0: however long the hole). The in-band detector then
  # counts time as the frames do: without it, holes (silence suppression, audio paused under RFC 4733
  # events) shift the detector's timestamps against the frames' and tones leak (docs/media.md).
  : "${TONEWALL_MASK_DTX_DELAY:=10}"
  : "${TONEWALL_MASK_RTPE_ARGS:=--dtx-delay=${TONEWALL_MASK_DTX_DELAY} --max-dtx=0}"
  : "${TONEWALL_BLOCK_DTMF_FLAGS:=DTMF-security=silence delay-buffer=${TONEWALL_MASK_DELAY_BUFFER} detect-DTMF}"
  # Each rtpengine takes one half of the RTP port range: the edge the lower, the mask hop the upper.
  STACK_RTP_PORT_SPLIT=$(((TONEWALL_RTP_PORT_MIN + TONEWALL_RTP_PORT_MAX) / 2))
}

stack_run_dir() {
  printf '%s/.run/%s' "$TONEWALL_ROOT" "$1"
}

# --- install -----------------------------------------------------------------------------------

stack_install() {
  local -a missing=()
  local pkg
  for pkg in kamailio kamailio-extra-modules kamailio-utils-modules rtpengine sip-tester espeak-ng sox baresip-core linphone-cli tcpdump; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  echo "tonewall: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The Debian packages enable system-wide daemons (syslog, all interfaces): keep them stopped.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl disable --now kamailio rtpengine-daemon >/dev/null 2>&1 || true
  fi
}

stack_require() {
  local bin
  for bin in kamailio rtpengine sipp; do
    if ! command -v "$bin" >/dev/null 2>&1; then
      echo "tonewall: $bin is not installed (run ./scripts/tonewall up, or stack_install)" >&2
      return 1
    fi
  done
}

# --- helpers -----------------------------------------------------------------------------------

# pid of a running process recorded in a pid file, or nothing
stack_pid_of() {
  local file=$1 pid
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

stack_port_busy() {
  local proto=$1 addr=$2 port=$3
  if [ "$proto" = udp ]; then
    ss -Hnlu "src $addr:$port" 2>/dev/null | grep -q .
  else
    ss -Hnlt "src $addr:$port" 2>/dev/null | grep -q .
  fi
}

stack_wait_port() {
  local proto=$1 addr=$2 port=$3 what=$4 pidfile=$5 i
  for i in $(seq 1 100); do
    if stack_port_busy "$proto" "$addr" "$port"; then
      return 0
    fi
    if ! stack_pid_of "$pidfile" >/dev/null; then
      echo "tonewall: $what exited during start-up; see its log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "tonewall: $what did not open $proto $addr:$port within 10 s" >&2
  return 1
}

# Replace @TW_…@ placeholders in sip-config/kamailio.cfg with the environment's values.
stack_render_kamailio_cfg() {
  local out=$1
  local -a pairs=(
    TW_SIP_ADDR "$TONEWALL_SIP_ADDR" TW_SIP_PORT "$TONEWALL_SIP_PORT"
    TW_RPC_ADDR "$TONEWALL_RPC_ADDR" TW_RPC_PORT "$TONEWALL_RPC_PORT"
    TW_EVAPI_ADDR "$TONEWALL_EVAPI_ADDR" TW_EVAPI_PORT "$TONEWALL_EVAPI_PORT"
    TW_NG_ADDR "$TONEWALL_NG_ADDR" TW_NG_PORT "$TONEWALL_NG_PORT" TW_MASK_NG_PORT "$TONEWALL_MASK_NG_PORT"
    TW_PBX_SOURCE "$TONEWALL_PBX_SOURCE" TW_PBX_TARGET "$TONEWALL_PBX_TARGET"
    TW_CARRIER_TARGET "$TONEWALL_CARRIER_TARGET" TW_AGENT_HEADER "$TONEWALL_AGENT_HEADER"
    TW_DLG_TIMEOUT "$TONEWALL_DLG_TIMEOUT" TW_DLG_KEEPALIVE "$TONEWALL_DLG_KEEPALIVE"
    TW_RTPE_OFFER_FLAGS "$TONEWALL_RTPE_OFFER_FLAGS" TW_RTPE_ANSWER_FLAGS "$TONEWALL_RTPE_ANSWER_FLAGS"
    TW_BLOCK_DTMF_FLAGS "$TONEWALL_BLOCK_DTMF_FLAGS" TW_EDGE_BLOCK_DTMF_FLAGS "$TONEWALL_EDGE_BLOCK_DTMF_FLAGS"
  )
  local text i key val
  text=$(<"$TONEWALL_ROOT/sip-config/kamailio.cfg")
  for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    key=${pairs[i]}
    val=${pairs[i + 1]}
    case "$val" in
      *'"'* | *'\'* | *$'\n'*)
        echo "tonewall: value for $key must not contain quotes, backslashes or newlines" >&2
        return 1
        ;;
    esac
    text=${text//"@${key}@"/"$val"}
  done
  if [[ "$text" =~ @TW_[A-Z_]+@ ]]; then
    echo "tonewall: kamailio.cfg has an unknown placeholder ${BASH_REMATCH[0]}" >&2
    return 1
  fi
  printf '%s\n' "$text" >"$out"
}

# --- start / stop / status ---------------------------------------------------------------------

stack_up() {
  local name=${1:?stack_up RUN_NAME}
  stack_defaults
  stack_require
  local dir
  dir=$(stack_run_dir "$name")
  mkdir -p "$dir"

  if stack_pid_of "$dir/rtpengine.pid" >/dev/null && stack_pid_of "$dir/rtpengine-mask.pid" >/dev/null &&
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

  stack_start_rtpengine "$name" "$dir" || return 1
  stack_start_kamailio "$name" "$dir" || return 1
  echo "tonewall: stack '$name' up — SIP $TONEWALL_SIP_ADDR:$TONEWALL_SIP_PORT, rtpengine NG $TONEWALL_NG_ADDR:$TONEWALL_NG_PORT, evapi $TONEWALL_EVAPI_ADDR:$TONEWALL_EVAPI_PORT, JSON-RPC http://$TONEWALL_RPC_ADDR:$TONEWALL_RPC_PORT/RPC, logs in $dir"
}

# rtpengine's command line, one definition for stack_start_rtpengine and scripts/container-entry.sh:
# userspace forwarding, loopback control ports, default log level (6: no digits), then ARGS, then
# TONEWALL_RTPE_EXTRA_ARGS (so those can override). Usage: stack_rtpengine_args ARRAY_NAME HOP [ARGS...]
# fills the caller's array ARRAY_NAME for HOP `edge` (faces the customer: NG port, lower RTP half)
# or `mask` (faces the agent: mask NG port, upper RTP half); call stack_defaults first.
stack_rtpengine_args() {
  local -n stack_rtpe_out=$1
  local hop=${2:?stack_rtpengine_args ARRAY edge|mask}
  local -a extra=()
  read -r -a extra <<<"${TONEWALL_RTPE_EXTRA_ARGS:-}"
  local ng_port cli_port port_min port_max dtmf_dest=$TONEWALL_DTMF_LOG_DEST
  local -a hop_args=()
  case "$hop" in
    edge)
      ng_port=$TONEWALL_NG_PORT cli_port=$TONEWALL_CLI_PORT
      port_min=$TONEWALL_RTP_PORT_MIN port_max=$STACK_RTP_PORT_SPLIT
      ;;
    mask)
      ng_port=$TONEWALL_MASK_NG_PORT cli_port=$TONEWALL_MASK_CLI_PORT
      port_min=$((STACK_RTP_PORT_SPLIT + 1)) port_max=$TONEWALL_RTP_PORT_MAX
      dtmf_dest=$TONEWALL_MASK_DTMF_LOG_DEST
      read -r -a hop_args <<<"$TONEWALL_MASK_RTPE_ARGS"
      ;;
    *)
      echo "tonewall: no rtpengine hop '$hop' (edge or mask)" >&2
      return 1
      ;;
  esac
  stack_rtpe_out=(
    --config-file=none --table=-1 --foreground --log-stderr --log-level=6
    --interface="$TONEWALL_MEDIA_ADDR"
    --listen-ng="$TONEWALL_NG_ADDR:$ng_port"
    --listen-cli="127.0.0.1:$cli_port"
    --port-min="$port_min" --port-max="$port_max"
    --dtmf-log-dest="$dtmf_dest"
    --num-threads="$TONEWALL_RTPE_THREADS"
    "${hop_args[@]}"
    "${@:3}"
    "${extra[@]}"
  )
}

# Both rtpengines for run NAME in DIR (stack_up's half; also used by stack_restart): the edge
# (rtpengine.pid, rtpengine.log) and the mask hop (rtpengine-mask.pid, rtpengine-mask.log).
stack_start_rtpengine() {
  local name=$1 dir=$2
  stack_start_rtpengine_hop "$name" "$dir" edge rtpengine "$TONEWALL_NG_PORT" &&
    stack_start_rtpengine_hop "$name" "$dir" mask rtpengine-mask "$TONEWALL_MASK_NG_PORT"
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
  stack_render_kamailio_cfg "$dir/kamailio.cfg"
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
# (default 0), start it again with the environment's settings. Kamailio's dialogs are gone, and so
# is rtpengine's media state (no Redis keyspace here). Usage: stack_restart kamailio|rtpengine RUN [PAUSE]
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
  [ "$component" = rtpengine ] && stack_stop_pidfile "$dir/rtpengine-mask.pid" "rtpengine (mask)"
  sleep "${3:-0}"
  "stack_start_$component" "$name" "$dir"
}

# Stop one component by the PID in its pid file: TERM, wait up to 5 s, then KILL.
stack_stop_pidfile() {
  local file=$1 what=$2 pid i
  if pid=$(stack_pid_of "$file"); then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "tonewall: $what ($pid) did not stop on TERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    echo "tonewall: stopped $what ($pid)"
  fi
  rm -f "$file" "$file.daemon"
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
  rm -f "$dir/kamailio.cfg" "$dir/kamailio-check.log"
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
    echo "rtpengine  running  pid $pid  mask (agent side)  NG $TONEWALL_NG_ADDR:$TONEWALL_MASK_NG_PORT  RTP $TONEWALL_MEDIA_ADDR:$((STACK_RTP_PORT_SPLIT + 1))-$TONEWALL_RTP_PORT_MAX"
  else
    echo "rtpengine  stopped  mask (agent side)"
    rc=1
  fi
  if pid=$(stack_pid_of "$dir/kamailio.pid"); then
    echo "kamailio   running  pid $pid  SIP $TONEWALL_SIP_ADDR:$TONEWALL_SIP_PORT  evapi $TONEWALL_EVAPI_ADDR:$TONEWALL_EVAPI_PORT  RPC http://$TONEWALL_RPC_ADDR:$TONEWALL_RPC_PORT/RPC"
  else
    echo "kamailio   stopped"
    rc=1
  fi
  if [ -f "$dir/gateway.pid" ]; then
    if pid=$(stack_pid_of "$dir/gateway.pid"); then
      echo "gateway    running  pid $pid"
    else
      echo "gateway    stopped"
      rc=1
    fi
  fi
  return "$rc"
}
