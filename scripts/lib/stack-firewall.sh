# shellcheck shell=bash
# The local trust boundary (issue 16, item 5): nftables owner match on the loopback control planes.
# Only processes of TONEWALL_CONTROL_UIDS (default: the user that starts the stack) may send to
# rtpengine's NG ports, Kamailio's JSON-RPC and evapi, and the gateway's DTMF report ports; any
# other local user's packets there are dropped, so it can neither drive rtpengine (unblock DTMF,
# start recording), nor read Kamailio's dialogs, nor inject keys into a capture. One nftables table
# per run (`inet tonewall_<run>`), added by stack_up, deleted by stack_down. Sourced by stack.sh.
#
# Who may *receive* on the DTMF ports is not this table's business (nftables' owner match sees
# senders only): the ports are privileged (999/998, stack.sh), so no unprivileged process can bind
# them while the gateway is down. See SECURITY.md.

stack_firewall_table() {
  echo "tonewall_${1//[^A-Za-z0-9_]/_}"
}

stack_firewall_up() {
  local name=${1:?stack_firewall_up RUN_NAME}
  [ "${TONEWALL_LOCAL_FIREWALL:-on}" = on ] || return 0
  if ! command -v nft >/dev/null 2>&1; then
    echo "tonewall: nft is not installed (run ./scripts/tonewall up, or stack_install)" >&2
    return 1
  fi
  local table uids
  table=$(stack_firewall_table "$name")
  uids=${TONEWALL_CONTROL_UIDS:-$(id -u)}
  uids=${uids// /}
  local udp_ports="$TONEWALL_NG_PORT, $TONEWALL_MASK_NG_PORT, $TONEWALL_MUTE_NG_PORT"
  udp_ports+=", ${TONEWALL_DTMF_LOG_DEST##*:}, ${TONEWALL_MASK_DTMF_LOG_DEST##*:}"
  local tcp_ports="$TONEWALL_RPC_PORT, $TONEWALL_EVAPI_PORT"
  # `up --pair`: the second chain's NG ports, its report ports, and Redis (shared state: sessions)
  if stack_pair_on "$(stack_run_dir "$name")"; then
    stack_pair_defaults
    udp_ports+=", $PAIR_NG_PORT, $PAIR_MASK_NG_PORT, $PAIR_MUTE_NG_PORT"
    udp_ports+=", ${PAIR_DTMF_LOG_DEST##*:}, ${PAIR_MASK_DTMF_LOG_DEST##*:}"
    tcp_ports+=", $TONEWALL_PAIR_REDIS_PORT"
  fi
  # create-then-delete makes the delete safe when the table is not there yet
  if ! nft -f - <<NFT; then
table inet $table
delete table inet $table
table inet $table {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr 127.0.0.0/8 udp dport { $udp_ports } meta skuid != { $uids } counter drop
    ip daddr 127.0.0.0/8 tcp dport { $tcp_ports } meta skuid != { $uids } counter drop
    ip6 daddr ::1 udp dport { $udp_ports } meta skuid != { $uids } counter drop
    ip6 daddr ::1 tcp dport { $tcp_ports } meta skuid != { $uids } counter drop
  }
}
NFT
    echo "tonewall: the local firewall (nftables table $table) could not be set up; TONEWALL_LOCAL_FIREWALL=off runs without it" >&2
    return 1
  fi
}

stack_firewall_down() {
  local name=${1:?stack_firewall_down RUN_NAME}
  command -v nft >/dev/null 2>&1 || return 0
  nft delete table inet "$(stack_firewall_table "$name")" >/dev/null 2>&1 || true
}
