#!/usr/bin/env bash
# Entry point of the `media` image (Dockerfile): runs Kamailio or rtpengine in the foreground, with the
# same TONEWALL_* settings and defaults as scripts/lib/stack.sh (which it sources), logging to stderr.
#   container-entry.sh kamailio    render sip-config/kamailio.cfg, check it, exec kamailio
#   container-entry.sh rtpengine [edge|mask|mute]   exec one rtpengine hop (userspace forwarding, log level 6: no digits)
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
    args=()
    stack_rtpengine_args args "${2:-edge}"
    exec rtpengine "${args[@]}"
    ;;
  *)
    echo "usage: container-entry.sh kamailio|rtpengine [edge|mask|mute]" >&2
    exit 64
    ;;
esac
