#!/usr/bin/env bash
# Entry point of the `media` image (Dockerfile): runs Kamailio or rtpengine in the foreground, with the
# same TONEWALL_* settings and defaults as scripts/lib/stack.sh (which it sources), logging to stderr.
#   container-entry.sh kamailio    render sip-config/kamailio.cfg, check it, exec kamailio
#   container-entry.sh rtpengine   exec rtpengine (userspace forwarding, log level 6: no digits)
set -euo pipefail
. "$TONEWALL_ROOT/scripts/lib/stack.sh"
stack_defaults
case "${1:-}" in
  kamailio)
    cfg=/run/tonewall/kamailio.cfg
    stack_render_kamailio_cfg "$cfg"
    kamailio -c -f "$cfg"
    exec kamailio -f "$cfg" -DD -E -m 64 -M 8
    ;;
  rtpengine)
    extra=()
    read -r -a extra <<<"${TONEWALL_RTPE_EXTRA_ARGS:-}"
    exec rtpengine \
      --config-file=none --table=-1 --foreground --log-stderr --log-level=6 \
      --interface="$TONEWALL_MEDIA_ADDR" \
      --listen-ng="$TONEWALL_NG_ADDR:$TONEWALL_NG_PORT" \
      --listen-cli="127.0.0.1:$TONEWALL_CLI_PORT" \
      --port-min="$TONEWALL_RTP_PORT_MIN" --port-max="$TONEWALL_RTP_PORT_MAX" \
      --dtmf-log-dest="$TONEWALL_DTMF_LOG_DEST" \
      "${extra[@]}"
    ;;
  *)
    echo "usage: container-entry.sh kamailio|rtpengine" >&2
    exit 64
    ;;
esac
