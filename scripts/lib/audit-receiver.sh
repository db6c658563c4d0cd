# shellcheck shell=bash
# The audit log's receiver: rsyslog (Debian) taking syslog over mutual TLS (RFC 5425) on loopback and
# writing each message's text, a record a line, to DIR/audit.log — the off-host copy `audit verify
# --shipped` compares the local log with. Sourced by stack.sh; `services_up` starts it for `up`/`demo`,
# the suite's shipping test starts its own.

# audit_receiver_conf DIR PORT KEYS_DIR: writes DIR/rsyslog.conf.
audit_receiver_conf() {
  local dir=$1 port=$2 keys=$3
  mkdir -p "$dir/work"
  chmod 0700 "$dir" "$dir/work"
  cat >"$dir/rsyslog.conf" <<CONF
# written by scripts/lib/audit-receiver.sh; only this receiver, nothing of the system's logging
global(
  workDirectory="$dir/work"
  maxMessageSize="64k"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="$keys/ca.pem"
  defaultNetstreamDriverCertFile="$keys/audit-receiver.pem"
  defaultNetstreamDriverKeyFile="$keys/audit-receiver.key"
)
# mode 1: TLS only; x509/certvalid: the client's certificate must chain to the CA
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/certvalid"
  maxSessions="16")
# the message's text as it came, one record a line
template(name="tonewallAuditLine" type="list") {
  property(name="msg" droplastlf="on")
  constant(value="\n")
}
ruleset(name="tonewallAudit") {
  action(type="omfile" file="$dir/audit.log" template="tonewallAuditLine" fileCreateMode="0600"
    flushOnTXEnd="on" asyncWriting="off")
}
input(type="imtcp" address="127.0.0.1" port="$port" ruleset="tonewallAudit")
CONF
}

# audit_receiver_up DIR PORT KEYS_DIR: starts rsyslogd (pid file DIR/rsyslog.pid, log DIR/rsyslog.log).
audit_receiver_up() {
  local dir=${1:?audit_receiver_up DIR PORT KEYS_DIR} port=${2:?port} keys=${3:?keys dir}
  if stack_pid_of "$dir/rsyslog.pid" >/dev/null; then return 0; fi
  if ! command -v rsyslogd >/dev/null 2>&1; then
    echo "tonewall: rsyslogd is not installed (run ./scripts/tonewall up, or stack_install)" >&2
    return 1
  fi
  if stack_port_busy tcp 127.0.0.1 "$port"; then
    echo "tonewall: port tcp:$port (audit receiver) is already in use by another process" >&2
    return 1
  fi
  audit_receiver_conf "$dir" "$port" "$keys"
  if ! rsyslogd -N1 -f "$dir/rsyslog.conf" >"$dir/rsyslog-check.log" 2>&1; then
    echo "tonewall: generated $dir/rsyslog.conf does not check:" >&2
    tail -n 20 "$dir/rsyslog-check.log" >&2 || true
    return 1
  fi
  # -n: foreground (we track the PID); -i: its own pid file, never the system's
  rsyslogd -n -f "$dir/rsyslog.conf" -i "$dir/rsyslog.pid.daemon" >>"$dir/rsyslog.log" 2>&1 </dev/null &
  echo "$!" >"$dir/rsyslog.pid"
  if ! stack_wait_port tcp 127.0.0.1 "$port" "rsyslog (audit receiver)" "$dir/rsyslog.pid"; then
    tail -n 20 "$dir/rsyslog.log" >&2 || true
    stack_stop_pidfile "$dir/rsyslog.pid" "rsyslog (audit receiver)"
    return 1
  fi
}

audit_receiver_down() {
  local dir=${1:?audit_receiver_down DIR}
  stack_stop_pidfile "$dir/rsyslog.pid" "rsyslog (audit receiver)"
}
