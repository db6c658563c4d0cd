# shellcheck shell=bash
# `up --pair` (issue 19): a second media chain (edge, mask and mute rtpengines) beside the first,
# Redis, and Kamailio using both chains. Sourced by stack-run.sh.
#
# Why two chains and no rtpengine Redis keyspace (measured, docs/operations.md "The pair"): rtpengine
# 10.5.3.5 restores a call from Redis without its masking (block DTMF is never written to Redis; the
# delay buffer and detect-DTMF are not even in its format), and a warm standby on the same address
# binds the call's ports too (SO_REUSEADDR) and takes its media, unmasked, from the first packet
# (scripts/rtpengine-failover.ts). So each chain keeps its own calls; Kamailio sends each new call to
# one chain (the rtpengine module hashes the Call-ID the same way in each set, so a call's three hops
# are one chain's) and, when a chain's engine does not answer, to the other. A call on a chain that
# dies loses its media: masking holds because nothing is relayed.
#
# The second chain: NG ports the first's + TONEWALL_PAIR_PORT_OFFSET, RTP ports the range above the
# first's (same size), DTMF reports to the first's report ports − the offset (privileged still), read
# by the second gateway (services-pair.sh), whose HTTP port is the first's + the offset.

stack_pair_defaults() {
  : "${TONEWALL_PAIR_PORT_OFFSET:=10}"
  : "${TONEWALL_PAIR_REDIS_PORT:=6380}"
  PAIR_NG_PORT=$((TONEWALL_NG_PORT + TONEWALL_PAIR_PORT_OFFSET))
  PAIR_MASK_NG_PORT=$((TONEWALL_MASK_NG_PORT + TONEWALL_PAIR_PORT_OFFSET))
  PAIR_MUTE_NG_PORT=$((TONEWALL_MUTE_NG_PORT + TONEWALL_PAIR_PORT_OFFSET))
  PAIR_RTP_PORT_MIN=$((TONEWALL_RTP_PORT_MAX + 1))
  PAIR_RTP_PORT_MAX=$((TONEWALL_RTP_PORT_MAX + TONEWALL_RTP_PORT_MAX - TONEWALL_RTP_PORT_MIN + 1))
  PAIR_DTMF_LOG_DEST=${TONEWALL_DTMF_LOG_DEST%:*}:$((${TONEWALL_DTMF_LOG_DEST##*:} - TONEWALL_PAIR_PORT_OFFSET))
  PAIR_MASK_DTMF_LOG_DEST=${TONEWALL_MASK_DTMF_LOG_DEST%:*}:$((${TONEWALL_MASK_DTMF_LOG_DEST##*:} - TONEWALL_PAIR_PORT_OFFSET))
}

# Is run NAME (in DIR) a pair? `up --pair` leaves the marker file `pair` in its run directory.
stack_pair_on() {
  [ -f "${1:?stack_pair_on DIR}/pair" ]
}

# The second chain's settings, exported in a subshell by the callers.
stack_pair_env() {
  export TONEWALL_NG_PORT=$PAIR_NG_PORT TONEWALL_MASK_NG_PORT=$PAIR_MASK_NG_PORT
  export TONEWALL_MUTE_NG_PORT=$PAIR_MUTE_NG_PORT
  export TONEWALL_RTP_PORT_MIN=$PAIR_RTP_PORT_MIN TONEWALL_RTP_PORT_MAX=$PAIR_RTP_PORT_MAX
  export TONEWALL_DTMF_LOG_DEST=$PAIR_DTMF_LOG_DEST TONEWALL_MASK_DTMF_LOG_DEST=$PAIR_MASK_DTMF_LOG_DEST
  unset TONEWALL_CLI_PORT TONEWALL_MASK_CLI_PORT TONEWALL_MUTE_CLI_PORT
}

# Redis (Debian redis-server) for run NAME in DIR: loopback, no password (the run's firewall table
# lets only the stack's users reach its port; SECURITY.md, "The pair's Redis"), append-only file
# fsynced every second.
stack_pair_start_redis() {
  local dir=$1
  mkdir -p "$dir/redis"
  redis-server --bind 127.0.0.1 --port "$TONEWALL_PAIR_REDIS_PORT" --dir "$dir/redis" --save '' \
    --appendonly yes --appendfsync everysec --daemonize no >>"$dir/redis.log" 2>&1 </dev/null &
  echo "$!" >"$dir/redis.pid"
  stack_wait_port tcp 127.0.0.1 "$TONEWALL_PAIR_REDIS_PORT" redis "$dir/redis.pid"
}

# The second chain's three rtpengines (rtpengine-b.pid, rtpengine-b-mask.pid, rtpengine-b-mute.pid).
stack_pair_start_rtpengine() {
  local name=$1 dir=$2
  (
    stack_pair_env
    stack_defaults
    stack_start_rtpengine_hop "$name" "$dir" edge rtpengine-b "$TONEWALL_NG_PORT" &&
      stack_start_rtpengine_hop "$name" "$dir" mask rtpengine-b-mask "$TONEWALL_MASK_NG_PORT" &&
      stack_start_rtpengine_hop "$name" "$dir" mute rtpengine-b-mute "$TONEWALL_MUTE_NG_PORT"
  )
}

# stack_up's pair half: run after stack_up (the first chain, Kamailio with both chains).
stack_pair_up() {
  local name=${1:?stack_pair_up RUN_NAME} dir
  stack_defaults
  stack_pair_defaults
  dir=$(stack_run_dir "$name")
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "tonewall: redis-server is not installed (run ./scripts/tonewall up, or stack_install)" >&2
    return 1
  fi
  stack_pair_start_redis "$dir" || return 1
  stack_pair_start_rtpengine "$name" "$dir" || return 1
  echo "tonewall: pair up — second media chain NG $TONEWALL_NG_ADDR:$PAIR_NG_PORT/$PAIR_MASK_NG_PORT/$PAIR_MUTE_NG_PORT RTP $PAIR_RTP_PORT_MIN-$PAIR_RTP_PORT_MAX, DTMF reports to $PAIR_DTMF_LOG_DEST and $PAIR_MASK_DTMF_LOG_DEST, Redis redis://127.0.0.1:$TONEWALL_PAIR_REDIS_PORT"
}

# Kamailio's rtpengine sets with both chains: the first chain's node, then the second's, in each of
# sets 1, 2 and 3 (same order and weight in each: the Call-ID's hash picks the same chain in all
# three). A no-op unless the run is a pair. Usage: stack_pair_kamailio_cfg DIR CFG
stack_pair_kamailio_cfg() {
  local dir=$1 cfg=$2
  stack_pair_on "$dir" || return 0
  stack_pair_defaults
  local addr=$TONEWALL_NG_ADDR
  sed -i \
    -e "s|\"1 == udp:$addr:$TONEWALL_NG_PORT\"|\"1 == udp:$addr:$TONEWALL_NG_PORT udp:$addr:$PAIR_NG_PORT\"|" \
    -e "s|\"2 == udp:$addr:$TONEWALL_MASK_NG_PORT\"|\"2 == udp:$addr:$TONEWALL_MASK_NG_PORT udp:$addr:$PAIR_MASK_NG_PORT\"|" \
    -e "s|\"3 == udp:$addr:$TONEWALL_MUTE_NG_PORT\"|\"3 == udp:$addr:$TONEWALL_MUTE_NG_PORT udp:$addr:$PAIR_MUTE_NG_PORT\"|" \
    "$cfg"
  if [ "$(grep -c "udp:$addr:$PAIR_NG_PORT\"\|udp:$addr:$PAIR_MASK_NG_PORT\"\|udp:$addr:$PAIR_MUTE_NG_PORT\"" "$cfg")" -ne 3 ]; then
    echo "tonewall: kamailio.cfg: the rtpengine sets 1, 2 and 3 were not found to add the second chain" >&2
    return 1
  fi
}

stack_pair_down() {
  local dir=$1
  stack_stop_pidfile "$dir/rtpengine-b.pid" "rtpengine (second chain, edge)"
  stack_stop_pidfile "$dir/rtpengine-b-mask.pid" "rtpengine (second chain, mask)"
  stack_stop_pidfile "$dir/rtpengine-b-mute.pid" "rtpengine (second chain, mute)"
  stack_stop_pidfile "$dir/redis.pid" redis
}

# stack_status's pair lines; returns 1 when a process of the pair is not running.
stack_pair_status() {
  local dir=$1 rc=0 pid file what port
  stack_pair_on "$dir" || return 0
  stack_pair_defaults
  for entry in "rtpengine-b edge $PAIR_NG_PORT" "rtpengine-b-mask mask $PAIR_MASK_NG_PORT" "rtpengine-b-mute mute $PAIR_MUTE_NG_PORT"; do
    read -r file what port <<<"$entry"
    if pid=$(stack_pid_of "$dir/$file.pid"); then
      echo "rtpengine  running  pid $pid  chain B $what  NG $TONEWALL_NG_ADDR:$port  RTP $TONEWALL_MEDIA_ADDR:$PAIR_RTP_PORT_MIN-$PAIR_RTP_PORT_MAX"
    else
      echo "rtpengine  stopped  chain B $what"
      rc=1
    fi
  done
  if pid=$(stack_pid_of "$dir/redis.pid"); then
    echo "redis      running  pid $pid  redis://127.0.0.1:$TONEWALL_PAIR_REDIS_PORT"
  else
    echo "redis      stopped"
    rc=1
  fi
  return "$rc"
}
