# shellcheck shell=bash
# The stack's system packages: apt-get what is missing (stack_install), or say what is (stack_require).
# Sourced by stack.sh.

stack_install() {
  local -a missing=()
  local pkg
  for pkg in kamailio kamailio-extra-modules kamailio-utils-modules kamailio-tls-modules kamailio-sqlite-modules sqlite3 rtpengine sip-tester espeak-ng sox baresip-core linphone-cli tcpdump nftables rsyslog rsyslog-gnutls redis-server; do
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
  # The Debian packages enable system-wide daemons (syslog, all interfaces): keep them stopped. The
  # system's rsyslog is stopped only when it came with this install (a machine's own logging stays).
  # (redis-server: the tests start their own on a free loopback port; issue 19's shared state)
  local -a ours=(kamailio rtpengine-daemon redis-server)
  if [[ " ${missing[*]} " == *" rsyslog "* ]]; then ours+=(rsyslog); fi
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl disable --now "${ours[@]}" >/dev/null 2>&1 || true
  elif [[ " ${ours[*]} " == *" rsyslog "* ]] && [ -x /etc/init.d/rsyslog ]; then
    "${sudo[@]}" /etc/init.d/rsyslog stop >/dev/null 2>&1 || true
  fi
  if [[ " ${missing[*]} " == *" redis-server "* ]] && [ ! -d /run/systemd/system ] && [ -x /etc/init.d/redis-server ]; then
    "${sudo[@]}" /etc/init.d/redis-server stop >/dev/null 2>&1 || true
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
