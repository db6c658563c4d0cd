# shellcheck shell=bash
# `up` run by root starts the gateway and the audit signer under users of their own (issue 16,
# item 3; compose does the same with uids 10001 and 10002): `tonewall-signer` alone can read the
# audit signing key; the gateway runs as `tonewall`, in group `tonewall-audit` (the signer's socket)
# and with CAP_NET_BIND_SERVICE alone (its DTMF report ports are below 1024), so neither it nor anyone
# who holds its user can read the key. TONEWALL_SERVICE_USERS=off, or `up` by another user than root,
# runs both as the user that starts them, as before. Sourced by services.sh.

SERVICE_GATEWAY_USER=tonewall
SERVICE_SIGNER_USER=tonewall-signer
SERVICE_AUDIT_GROUP=tonewall-audit
# set by service_users_prepare: what services_start puts before `node` for each of the two
SERVICE_GATEWAY_AS=()
SERVICE_SIGNER_AS=()

service_users_on() {
  [ "$(id -u)" = 0 ] && [ "${TONEWALL_SERVICE_USERS:-on}" = on ]
}

# The system users and the group, made once (Debian's useradd; no home, no shell).
service_users_ensure() {
  service_users_on || return 0
  getent group "$SERVICE_AUDIT_GROUP" >/dev/null || groupadd --system "$SERVICE_AUDIT_GROUP"
  local user
  for user in "$SERVICE_GATEWAY_USER" "$SERVICE_SIGNER_USER"; do
    id -u "$user" >/dev/null 2>&1 ||
      useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  done
  id -nG "$SERVICE_GATEWAY_USER" | tr ' ' '\n' | grep -qx "$SERVICE_AUDIT_GROUP" ||
    usermod -a -G "$SERVICE_AUDIT_GROUP" "$SERVICE_GATEWAY_USER"
  # the local firewall lets the gateway's user reach rtpengine, Kamailio and its own DTMF ports
  : "${TONEWALL_CONTROL_UIDS:=$(id -u),$(id -u "$SERVICE_GATEWAY_USER")}"
  export TONEWALL_CONTROL_UIDS
}

# setpriv arguments: USER, supplementary groups, capabilities kept (ambient), nothing else.
service_users_setpriv() {
  local user=$1 groups=$2 caps=$3
  printf '%s\n' setpriv "--reuid=$user" "--regid=$user" "--groups=$groups" \
    "--inh-caps=-all$caps" "--ambient-caps=-all$caps" "--bounding-set=-all$caps" --no-new-privs
}

# service_users_own_keys KEYS_DIR: the key folder open to the two services alone (root:tonewall-audit
# 0750: both run in that group; no other user may enter it); public certificates 0644 as made; the
# gateway's private key its own, the signing key (and the one a --force replaced, which the signer
# cross-signs the rotation with) the signer's, 0600; every other private key stays root's 0600.
service_users_own_keys() {
  local keys=$1 gw=$SERVICE_GATEWAY_USER signer=$SERVICE_SIGNER_USER
  chown "root:$SERVICE_AUDIT_GROUP" "$keys" || return 1
  chmod 0750 "$keys" || return 1
  if [ -e "$keys/gateway-client.key" ]; then chown "$gw:$gw" "$keys/gateway-client.key" || return 1; fi
  local key
  for key in "${TONEWALL_AUDIT_KEY:-audit-signing.key}" "${TONEWALL_AUDIT_PREVIOUS_KEY:-audit-signing-previous.key}"; do
    [[ "$key" = /* ]] || key="$keys/$key"
    [ -e "$key" ] || continue
    chown "$signer:$signer" "$key" || return 1
    chmod 0600 "$key" || return 1
  done
}

# service_users_keys KEYS_DIR, after scripts/keys.ts (which makes the folder root's 0700 and new keys
# root's): once `up` has made the two users, as root with TONEWALL_SERVICE_USERS on, their keys are
# theirs again, so that `keys` run while `up` runs leaves the gateway and the signer able to start.
service_users_keys() {
  service_users_on || return 0
  getent group "$SERVICE_AUDIT_GROUP" >/dev/null && id -u "$SERVICE_GATEWAY_USER" >/dev/null 2>&1 &&
    id -u "$SERVICE_SIGNER_USER" >/dev/null 2>&1 || return 0
  service_users_own_keys "$1"
}

# service_users_prepare RUN_DIR KEYS_DIR: owners and modes so that each reads what it needs and no more.
service_users_prepare() {
  local dir=$1 keys=$2
  service_users_on || return 0
  local gw=$SERVICE_GATEWAY_USER signer=$SERVICE_SIGNER_USER
  # the project must be readable by others (dist/, node_modules/): a clone made under umask 077 is not
  if ! setpriv "--reuid=$gw" "--regid=$gw" --clear-groups test -r "$TONEWALL_ROOT/dist/main.js"; then
    echo "tonewall: user $gw cannot read $TONEWALL_ROOT/dist/main.js (a folder on the way is not readable by others);" \
      "chmod o+rx the project folders, or TONEWALL_SERVICE_USERS=off runs the gateway as $(id -un)" >&2
    return 1
  fi
  service_users_own_keys "$keys" || return 1
  # .run: passable; the run folder the gateway's to add files in (sticky: not to remove others')
  chmod 0711 "$TONEWALL_ROOT/.run"
  chown "root:$gw" "$dir" && chmod 1771 "$dir"
  # the gateway's own files, which an earlier run as root may have made
  mkdir -p "$dir/audit"
  [ -e "$dir/users.json" ] || (umask 077 && echo '{"version":1,"users":[]}' >"$dir/users.json")
  local own
  for own in "$dir/audit" "$dir/users.json" "$dir/payments.jsonl" "$dir"/state.sqlite*; do
    if [ -e "$own" ]; then chown -R "$gw:$gw" "$own"; fi
  done
  # what the served report reads: the masking-check results, the run's logs (no card data; scanned)
  mkdir -p "$dir/masking-check"
  chown "root:$gw" "$dir/masking-check" && chmod 0750 "$dir/masking-check"
  find "$dir/masking-check" -type f -exec chmod 0644 {} +
  local log
  touch "$dir/gateway.log" "$dir/signer.log"
  for log in "$dir"/*.log; do
    if [ -e "$log" ]; then chown "root:$gw" "$log" && chmod 0640 "$log"; fi
  done
  # the prompts are not secret
  if [ -d "$TONEWALL_ROOT/.run/prompts" ]; then chmod -R u+rwX,go+rX,go-w "$TONEWALL_ROOT/.run/prompts"; fi
  # the signer's folder: its state; the socket's group the gateway's way in
  mkdir -p "$dir/signer"
  chown -R "$signer:$SERVICE_AUDIT_GROUP" "$dir/signer" && chmod 0750 "$dir/signer"
  export TONEWALL_AUDIT_SIGNER_GROUP=${TONEWALL_AUDIT_SIGNER_GROUP:-$SERVICE_AUDIT_GROUP}
  # the served scan: what the gateway can read (the run folder also holds root's secrets: demo key, password)
  if [ -z "${TONEWALL_AUDIT_SCAN_PATHS:-}" ]; then
    local -a scan=("$dir/audit")
    for log in "$dir"/*.log "$dir/payments.jsonl"; do
      if [ -e "$log" ]; then scan+=("$log"); fi
    done
    TONEWALL_AUDIT_SCAN_PATHS=$(printf '%s\n' "${scan[@]}" | paste -sd, -)
    export TONEWALL_AUDIT_SCAN_PATHS
  fi
  mapfile -t SERVICE_GATEWAY_AS < <(service_users_setpriv "$gw" "$SERVICE_AUDIT_GROUP" ,+net_bind_service)
  mapfile -t SERVICE_SIGNER_AS < <(service_users_setpriv "$signer" "$SERVICE_AUDIT_GROUP" "")
}
