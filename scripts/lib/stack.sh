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
# Whatever the stack writes (logs, pid files, generated configs) is its owner's alone: umask 077.
umask 077
# Logs go to .run/RUN_NAME/{kamailio,rtpengine}.log at levels that print no digit (rtpengine does
# print the SDP of an offer it refuses: docs/operations.md "Hostile SIP").
# Sourced by scripts/tonewall and by test/support/stack.ts (through `bash -c`).
#
# This file: the settings and their defaults (stack_defaults), kamailio.cfg rendered from them and
# rtpengine's command line (what the `media` image runs with); stack-install.sh, stack-processes.sh
# (pid files, ports) and stack-run.sh (start, stop, restart, status) hold the rest.

: "${TONEWALL_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# shellcheck source=stack-install.sh
. "$TONEWALL_ROOT/scripts/lib/stack-install.sh"
# shellcheck source=stack-processes.sh
. "$TONEWALL_ROOT/scripts/lib/stack-processes.sh"
# shellcheck source=stack-run.sh
. "$TONEWALL_ROOT/scripts/lib/stack-run.sh"
# shellcheck source=stack-firewall.sh
. "$TONEWALL_ROOT/scripts/lib/stack-firewall.sh"
# shellcheck source=audit-receiver.sh
. "$TONEWALL_ROOT/scripts/lib/audit-receiver.sh"

stack_defaults() {
  : "${TONEWALL_SIP_ADDR:=127.0.0.1}"
  : "${TONEWALL_SIP_PORT:=5060}"
  : "${TONEWALL_EVAPI_ADDR:=127.0.0.1}"
  : "${TONEWALL_EVAPI_PORT:=8448}"
  : "${TONEWALL_RPC_ADDR:=127.0.0.1}"
  : "${TONEWALL_RPC_PORT:=5071}"
  : "${TONEWALL_NG_ADDR:=127.0.0.1}"
  : "${TONEWALL_NG_PORT:=2223}"
  # No rtpengine CLI listener unless a TONEWALL_*CLI_PORT asks for one: any local process could use it
  # to raise the log level (digits then reach the log). The suite asks for the edge's (test support).
  # The second rtpengine, the masking hop between the edge (customer side) and the agent.
  : "${TONEWALL_MASK_NG_PORT:=2225}"
  # The third, the mute hop between the mask hop and the agent: while a payment captures, the gateway
  # stops the customer's audio toward the agent there (block media), so nothing of a key can leak.
  : "${TONEWALL_MUTE_NG_PORT:=2227}"
  : "${TONEWALL_MEDIA_ADDR:=127.0.0.1}"
  : "${TONEWALL_RTP_PORT_MIN:=30000}"
  : "${TONEWALL_RTP_PORT_MAX:=30999}"
  # Privileged ports (below 1024): no unprivileged local process can bind them to receive the
  # customers' digits, while the gateway runs, restarts or is down (the gateway needs root or
  # CAP_NET_BIND_SERVICE; the image gives node that capability).
  : "${TONEWALL_DTMF_LOG_DEST:=127.0.0.1:999}"
  # The mask hop's reports (in-band tones) go to the gateway too, on the port below (the gateway
  # makes the same default: src/config/config.ts; declared in src/config/registry/masking.ts).
  : "${TONEWALL_MASK_DTMF_LOG_DEST:=${TONEWALL_DTMF_LOG_DEST%:*}:$((${TONEWALL_DTMF_LOG_DEST##*:} - 1))}"
  : "${TONEWALL_PBX_SOURCE:=127.0.0.2}"
  # the only other sources Kamailio takes requests from (docs/calls.md, "Trunks trusted by address")
  : "${TONEWALL_CARRIER_SOURCES:=127.0.0.0/8}"
  : "${TONEWALL_SIP_FLOOD_LIMIT:=400}"
  # SIP over TLS beside UDP and TCP (docs/calls.md, "SIP over TLS and SRTP"), with the key set's
  # certificate (scripts/keys.ts); off when the files are not there
  : "${TONEWALL_SIP_TLS_PORT:=5061}"
  # SRTP on the PBX leg: off (RTP/AVP), sdes (RTP/SAVP, keys in the SDP) or dtls (UDP/TLS/RTP/SAVP)
  : "${TONEWALL_PBX_SRTP:=off}"
  # SRTP offered to the carrier on outbound calls, the same three
  : "${TONEWALL_CARRIER_SRTP:=off}"
  local keys=${TONEWALL_KEYS_DIR:-keys}
  [[ "$keys" = /* ]] || keys="$TONEWALL_ROOT/$keys"
  : "${TONEWALL_SIP_TLS_CERT:=$keys/sip-server.pem}"
  : "${TONEWALL_SIP_TLS_KEY:=$keys/sip-server.key}"
  : "${TONEWALL_SIP_TLS_CA:=$keys/ca.pem}"
  : "${TONEWALL_PBX_TARGET:=sip:127.0.0.2:5080}"
  : "${TONEWALL_CARRIER_TARGET:=sip:127.0.0.3:5080}"
  : "${TONEWALL_AGENT_HEADER:=X-Agent-Id}"
  # where masking starts: `answer` (the first 200 OK) or `agent` (the PBX names the agent after its IVR)
  : "${TONEWALL_MASKING_FROM:=answer}"
  : "${TONEWALL_DLG_TIMEOUT:=14400}"
  : "${TONEWALL_DLG_KEEPALIVE:=0}"
  # Three rtpengines in a chain (docs/media.md, "Three hops"): the edge, facing the customer, takes
  # the customer's RFC 4733 events out and reports them (it renders and blanks them for a customer
  # whose SDP has telephone-event, below) and re-encodes the audio without a tone detector; the mask
  # hop, next, runs the in-band detector on the customer's audio (which then never holds tones that
  # rtpengine synthesised from events) and replaces detected tones with silence. The mask hop's delay
  # buffer is the time the detector needs to recognise a tone before the frame leaves. The mute
  # hop, facing the agent, forwards; the gateway stops the customer's audio there while a payment captures.
  # 70 ms, not 50: with network jitter (packets 0–20 ms late and more) 50 and 60 let the first 20 ms of
  # most in-band keys through; 70 held with jitter up to 100 ms (docs/media.md, "Jitter").
  : "${TONEWALL_MASK_DELAY_BUFFER:=70}"
  # rtpengine's worker threads: one fewer than the cores (at least one), leaving a core to the gateway
  # and Kamailio. rtpengine's own default (one per core) took 61–69 % of a core at 150 masked calls on
  # 2 cores, one thread 44 %, with lower DTMF-to-screen latency (docs/benchmarks.md).
  : "${TONEWALL_RTPE_THREADS:=$(($(nproc) > 2 ? $(nproc) - 1 : 1))}"
  # rtpengine flags. The defaults are the masking configuration measured in docs/media.md:
  # detect-DTMF runs the in-band detector even when the customer offered telephone-event.
  # no transport here: kamailio.cfg adds it per hop (RTP/AVP between the hops and toward the PBX, the
  # customer's own toward the customer)
  : "${TONEWALL_RTPE_OFFER_FLAGS:=replace-origin replace-session-connection ICE=remove}"
  # no transport forced in an answer: each hop answers in its offerer's (RTP/AVP, or SRTP to a customer
  # who offered RTP/SAVP or DTLS); the offers force RTP/AVP between the hops and toward the far side
  : "${TONEWALL_RTPE_ANSWER_FLAGS:=replace-origin replace-session-connection ICE=remove}"
  # The edge renders a telephone-event customer's RFC 4733 events and blanks them (silence, a short
  # delay buffer), so that what it sends on is one unbroken sequence: dropped events would leave
  # sequence gaps at which the mask hop's sequencer waits, adding delay after every key (docs/media.md).
  : "${TONEWALL_EDGE_DELAY_BUFFER:=10}"
  if [ -z "${TONEWALL_EDGE_BLOCK_DTMF_FLAGS+set}" ]; then
    TONEWALL_EDGE_BLOCK_DTMF_FLAGS=
    if [ "$TONEWALL_EDGE_DELAY_BUFFER" != 0 ]; then
      TONEWALL_EDGE_BLOCK_DTMF_FLAGS="DTMF-security=silence delay-buffer=$TONEWALL_EDGE_DELAY_BUFFER"
    fi
  fi
  # inject-DTMF on the edge's offers and answers for a customer whose SDP has no telephone-event
  # (kamailio.cfg route[EDGE_TRANSCODE]): the edge decodes and re-encodes that audio (no tone
  # detector), as the silence block makes it do for the others, so the mask hop's input has no holes
  # in its timeline (silence suppression) whatever the customer sends; the mask hop needs no DTX playout.
  : "${TONEWALL_EDGE_TRANSCODE_FLAGS=inject-DTMF}"
  : "${TONEWALL_EDGE_RTPE_ARGS:=}"
  # The mask hop's DTX playout (--dtx-delay) is off: the edge re-encodes the customer's audio, so the
  # mask hop's input has no holes in its timeline and the detector counts time as the frames do. (DTX
  # there was what kept holes from shifting the detector; with the edge's output it lagged after
  # RFC 4733 keys instead: docs/media.md, "The edge renders and blanks".)
  : "${TONEWALL_MASK_DTX_DELAY:=0}"
  : "${TONEWALL_MASK_RTPE_ARGS:=--dtx-delay=${TONEWALL_MASK_DTX_DELAY} --max-dtx=0}"
  : "${TONEWALL_BLOCK_DTMF_FLAGS:=DTMF-security=silence delay-buffer=${TONEWALL_MASK_DELAY_BUFFER} detect-DTMF}"
  # Each rtpengine takes a third of the RTP port range: the edge the lowest, then the mask hop, then
  # the mute hop.
  STACK_RTP_PORT_THIRD=$(((TONEWALL_RTP_PORT_MAX - TONEWALL_RTP_PORT_MIN + 1) / 3))
  STACK_RTP_PORT_SPLIT=$((TONEWALL_RTP_PORT_MIN + STACK_RTP_PORT_THIRD - 1))
  STACK_RTP_PORT_SPLIT2=$((STACK_RTP_PORT_SPLIT + STACK_RTP_PORT_THIRD))
}

# The transport protocol rtpengine offers for an SRTP setting (TONEWALL_PBX_SRTP, TONEWALL_CARRIER_SRTP).
stack_srtp_transport() {
  case "$1" in
    sdes) echo RTP/SAVP ;;
    dtls) echo UDP/TLS/RTP/SAVP ;;
    *) echo RTP/AVP ;;
  esac
}

stack_run_dir() {
  printf '%s/.run/%s' "$TONEWALL_ROOT" "$1"
}

# Replace @TW_…@ placeholders in sip-config/kamailio.cfg with the environment's values.
stack_render_kamailio_cfg() {
  local out=$1
  local -a pairs=(
    TW_SIP_ADDR "$TONEWALL_SIP_ADDR" TW_SIP_PORT "$TONEWALL_SIP_PORT"
    TW_RPC_ADDR "$TONEWALL_RPC_ADDR" TW_RPC_PORT "$TONEWALL_RPC_PORT"
    TW_EVAPI_ADDR "$TONEWALL_EVAPI_ADDR" TW_EVAPI_PORT "$TONEWALL_EVAPI_PORT"
    TW_NG_ADDR "$TONEWALL_NG_ADDR" TW_NG_PORT "$TONEWALL_NG_PORT" TW_MASK_NG_PORT "$TONEWALL_MASK_NG_PORT"
    TW_MUTE_NG_PORT "$TONEWALL_MUTE_NG_PORT"
    TW_PBX_SOURCE "$TONEWALL_PBX_SOURCE" TW_PBX_TARGET "$TONEWALL_PBX_TARGET"
    TW_CARRIER_TARGET "$TONEWALL_CARRIER_TARGET" TW_AGENT_HEADER "$TONEWALL_AGENT_HEADER"
    TW_MASKING_FROM "$TONEWALL_MASKING_FROM" TW_SIP_FLOOD_LIMIT "$TONEWALL_SIP_FLOOD_LIMIT"
    TW_ADDRESS_FILE "${out%/*}/kamailio-addresses.list" TW_DIALOG_DB "${out%/*}/kamailio-dialogs.sqlite"
    TW_SIP_TLS_PORT "$TONEWALL_SIP_TLS_PORT" TW_SIP_TLS_CERT "$TONEWALL_SIP_TLS_CERT"
    TW_SIP_TLS_KEY "$TONEWALL_SIP_TLS_KEY" TW_SIP_TLS_CA "$TONEWALL_SIP_TLS_CA"
    TW_TLS "$(stack_tls_define)"
    TW_PBX_TRANSPORT "$(stack_srtp_transport "$TONEWALL_PBX_SRTP")"
    TW_CARRIER_TRANSPORT "$(stack_srtp_transport "$TONEWALL_CARRIER_SRTP")"
    TW_DLG_TIMEOUT "$TONEWALL_DLG_TIMEOUT" TW_DLG_KEEPALIVE "$TONEWALL_DLG_KEEPALIVE"
    TW_RTPE_OFFER_FLAGS "$TONEWALL_RTPE_OFFER_FLAGS" TW_RTPE_ANSWER_FLAGS "$TONEWALL_RTPE_ANSWER_FLAGS"
    TW_BLOCK_DTMF_FLAGS "$TONEWALL_BLOCK_DTMF_FLAGS" TW_EDGE_BLOCK_DTMF_FLAGS "$TONEWALL_EDGE_BLOCK_DTMF_FLAGS"
    TW_EDGE_TRANSCODE_FLAGS "$TONEWALL_EDGE_TRANSCODE_FLAGS"
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
  stack_render_address_file "${out%/*}/kamailio-addresses.list"
  stack_kamailio_dialog_db "${out%/*}/kamailio-dialogs.sqlite"
}

# Kamailio's dialog database (kamailio.cfg: dialogs outlive a restart): made from Kamailio's own SQLite
# schema when missing, kept when it has the tables (a restarted Kamailio reads its dialogs back);
# stack_down removes it with the calls. The owner's alone (umask 077): Call-IDs, tags, agent ids.
stack_kamailio_dialog_db() {
  local db=$1 schema=/usr/share/kamailio/db_sqlite
  if ! command -v sqlite3 >/dev/null 2>&1 || [ ! -r "$schema/dialog-create.sql" ]; then
    echo "tonewall: sqlite3 or kamailio-sqlite-modules is not installed (run ./scripts/tonewall up, or stack_install)" >&2
    return 1
  fi
  if [ -s "$db" ] && sqlite3 "$db" 'SELECT 1 FROM dialog_vars LIMIT 0' >/dev/null 2>&1; then return 0; fi
  rm -f "$db" "$db-wal" "$db-shm"
  if ! { cat "$schema/standard-create.sql" "$schema/dialog-create.sql" && echo 'PRAGMA journal_mode=WAL;'; } |
    sqlite3 "$db" >/dev/null; then
    echo "tonewall: could not create Kamailio's dialog database $db" >&2
    return 1
  fi
}

# `#!define WITH_TLS` when the TLS certificate and key are readable, else a comment saying why not.
stack_tls_define() {
  if [ -r "$TONEWALL_SIP_TLS_CERT" ] && [ -r "$TONEWALL_SIP_TLS_KEY" ] && [ -r "$TONEWALL_SIP_TLS_CA" ]; then
    echo '#!define WITH_TLS'
  else
    echo '# SIP over TLS off: no readable certificate, key or CA (TONEWALL_SIP_TLS_CERT, _KEY, _CA)'
  fi
}

# Kamailio's permissions address file: group 1 the PBX, group 2 the carriers (`GROUP IP MASK`).
stack_render_address_file() {
  local out=$1 entry ip mask
  local -a carriers=()
  IFS=, read -r -a carriers <<<"$TONEWALL_CARRIER_SOURCES"
  {
    echo "# generated by scripts/lib/stack.sh: 1 = the PBX (TONEWALL_PBX_SOURCE), 2 = carriers (TONEWALL_CARRIER_SOURCES)"
    for entry in "1,$TONEWALL_PBX_SOURCE" "${carriers[@]/#/2,}"; do
      ip=${entry#*,} mask=
      [[ "$ip" == */* ]] && mask=${ip#*/} ip=${ip%/*}
      [ -n "$mask" ] || { [[ "$ip" == *:* ]] && mask=128 || mask=32; }
      echo "${entry%%,*} $ip $mask"
    done
  } >"$out"
}

# rtpengine's command line, one definition for stack_start_rtpengine and scripts/container-entry.sh:
# userspace forwarding, loopback control ports, default log level (6: no digits), then ARGS, then
# TONEWALL_RTPE_EXTRA_ARGS (so those can override). Usage: stack_rtpengine_args ARRAY_NAME HOP [ARGS...]
# fills the caller's array ARRAY_NAME for HOP `edge` (faces the customer: NG port, lowest RTP third),
# `mask` (between: mask NG port, middle third) or `mute` (faces the agent: mute NG port, top third);
# call stack_defaults first.
stack_rtpengine_args() {
  local -n stack_rtpe_out=$1
  local hop=${2:?stack_rtpengine_args ARRAY edge|mask|mute}
  local -a extra=()
  read -r -a extra <<<"${TONEWALL_RTPE_EXTRA_ARGS:-}"
  local ng_port cli_port port_min port_max dtmf_dest=$TONEWALL_DTMF_LOG_DEST
  local -a hop_args=()
  case "$hop" in
    edge)
      ng_port=$TONEWALL_NG_PORT cli_port=${TONEWALL_CLI_PORT:-}
      port_min=$TONEWALL_RTP_PORT_MIN port_max=$STACK_RTP_PORT_SPLIT
      read -r -a hop_args <<<"$TONEWALL_EDGE_RTPE_ARGS"
      ;;
    mask)
      ng_port=$TONEWALL_MASK_NG_PORT cli_port=${TONEWALL_MASK_CLI_PORT:-}
      port_min=$((STACK_RTP_PORT_SPLIT + 1)) port_max=$STACK_RTP_PORT_SPLIT2
      dtmf_dest=$TONEWALL_MASK_DTMF_LOG_DEST
      read -r -a hop_args <<<"$TONEWALL_MASK_RTPE_ARGS"
      ;;
    mute)
      # plain forwarding: it never sees an event (the edge dropped them) and reports nothing
      ng_port=$TONEWALL_MUTE_NG_PORT cli_port=${TONEWALL_MUTE_CLI_PORT:-}
      port_min=$((STACK_RTP_PORT_SPLIT2 + 1)) port_max=$TONEWALL_RTP_PORT_MAX
      dtmf_dest=
      ;;
    *)
      echo "tonewall: no rtpengine hop '$hop' (edge, mask or mute)" >&2
      return 1
      ;;
  esac
  stack_rtpe_out=(
    --config-file=none --table=-1 --foreground --log-stderr --log-level=6
    --interface="$TONEWALL_MEDIA_ADDR"
    --listen-ng="$TONEWALL_NG_ADDR:$ng_port"
    ${cli_port:+--listen-cli="127.0.0.1:$cli_port"}
    --port-min="$port_min" --port-max="$port_max"
    ${dtmf_dest:+--dtmf-log-dest="$dtmf_dest"}
    --num-threads="$TONEWALL_RTPE_THREADS"
    "${hop_args[@]}"
    "${@:3}"
    "${extra[@]}"
  )
}
