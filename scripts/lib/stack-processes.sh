# shellcheck shell=bash
# The stack's processes by their pid files and ports: is it running, is the port taken, wait for it to
# open, stop it (TERM, then KILL). Sourced by stack.sh.

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
