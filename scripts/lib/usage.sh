# shellcheck shell=bash
# The usage texts of ./scripts/tonewall: the command list (usage) and each command's (command_usage).
# Sourced by scripts/tonewall; check_options (arguments.sh) reads the options a command takes from them.

# Exit status of every command here and of every scripts/*.ts entry point: 0 ok, 1 a check failed (or the
# work failed), 2 usage (an unknown command or option: the usage goes to stderr). `-h`/`--help` anywhere
# before `--` prints the command's usage on stdout, exits 0 and does nothing else (nothing is installed,
# built or started).
usage() {
  cat <<USAGE
usage: ./scripts/tonewall <command> [options]      ./scripts/tonewall <command> --help

  demo     install what is missing, start the stack, place a demo call, print the UI sign-in
  demo-call [--by-hand | --language TAG]   one more demo call on the running stack (--by-hand: you take the payment in the UI)
  up       start Kamailio, rtpengine and the gateway on loopback
  down     stop what 'up' started
  status   say what runs (exit 1 when something does not)
  keys [--force] [--encryption-keys N]   make the development key set in keys/ (keeps existing keys)
  users add NAME [--role ROLE] [--agent-id ID] …   add (or replace) a local agent-desktop user
  users totp NAME [--clear]       give a user a new authenticator key (or clear it)
  users list                      list the local users
  audit verify [FILES]            check the audit log's chain and signatures offline
  audit report --from D --to D    write the auditor's HTML report
  pan-scan PATH...                find card numbers in files and folders (exit 1 on a find)
  api-key NAME --scope S --expires D   make an integration key (printed once) and its digest entry
  config                          print the effective TONEWALL_* settings (secrets masked)
  config check                    validate the settings and key files; start nothing
  masking-check [--own-stack] [--mode outside|capture|both] [--layouts TEXT,…] [--no-phones]
           real calls through the running stack (or its own with --own-stack) in every RTP layout and
           with real phones; every agent stream checked for DTMF; prints the table and writes a result
           signed with the audit key to .run/<run>/masking-check/ (shown in the audit report)
  test     install what is missing and run the whole test suite
  bench [--levels 25,…,300] [--runs 3] [--quick]   capacity and latency on an own stack in .run/bench;
           writes docs/benchmarks.md (--quick: one small load, one run, written to .run/bench)

exit status: 0 ok, 1 a check failed, 2 usage
USAGE
}

# The usage of one command (or "audit verify", "users add", …) on stdout.
command_usage() {
  case "$1" in
    demo)
      cat <<'USAGE'
usage: ./scripts/tonewall demo

Installs what is missing (apt, npm ci), starts the stack ('up'), adds the agent-desktop user 'demo',
places a SIPp customer call that keys a test card while the gateway takes a £10 payment, prints the
agent's view, the outcome, what reached the agent's ear and the sign-in. The stack keeps running.
TONEWALL_API_KEY, when set, is the integration key; else one is kept in .run/dev/demo-api-key.
exit status: 0 the demo payment succeeded, 1 it did not, 2 usage
USAGE
      ;;
    demo-call)
      cat <<'USAGE'
usage: ./scripts/tonewall demo-call [--by-hand | --language TAG]

One more demo call on the stack 'demo' or 'up' started.
  --by-hand   do not start the payment: take it yourself in the agent desktop (signed in as 'demo')
              within 25 s of the call
  --language  the payment in this language (en-GB, en-US, es-ES, fr-FR, de-DE, it-IT, pt-BR, pl-PL,
              nl-NL, cy-GB): its prompts, and its amount read back, confirmed with #
exit status: 0 the payment succeeded, 1 it did not, 2 usage
USAGE
      ;;
    up)
      cat <<'USAGE'
usage: ./scripts/tonewall up [--no-build] [--pair]

Installs what is missing (apt: kamailio, rtpengine, sip-tester, …; npm ci), compiles, makes the dev
keys and prompts, starts rtpengine, Kamailio, the sandbox processor and the gateway on loopback into
.run/dev/ (TONEWALL_RUN_NAME names another run). Run by root, the gateway runs as user 'tonewall' and
the audit signer as 'tonewall-signer' (TONEWALL_SERVICE_USERS=off: both as root).
  --no-build   use node_modules/ and dist/ as they are: no npm ci, no compiling (fails if missing)
  --pair       issue 19's pair: also Redis (127.0.0.1:6380), a second media chain (NG ports +10, RTP
               ports above the first's) that Kamailio uses beside the first, and a second gateway
               (HTTP port +10) reading its reports; both gateways share their state in Redis
               (docs/operations.md, "The pair"). `down` and `status` include them
exit status: 0 everything started, 1 something did not, 2 usage
USAGE
      ;;
    down)
      cat <<'USAGE'
usage: ./scripts/tonewall down

Stops what 'up' started, by the PIDs in its pid files in .run/dev/ (TONEWALL_RUN_NAME: another run).
exit status: 0 ok, 1 failed, 2 usage
USAGE
      ;;
    status)
      cat <<'USAGE'
usage: ./scripts/tonewall status

Says what runs of what 'up' starts (.run/dev/, TONEWALL_RUN_NAME: another run).
exit status: 0 everything runs, 1 something does not, 2 usage
USAGE
      ;;
    keys)
      cat <<'USAGE'
usage: ./scripts/tonewall keys [--force] [--encryption-keys 1-9]

Makes the development key set in keys/ (TONEWALL_KEYS_DIR; see keys/README.md). Keeps existing keys.
The folder is 0700; run by root once 'up' has made its users, the gateway's and the signer's keys stay
theirs and the folder root:tonewall-audit 0750 (scripts/lib/service-users.sh).
  --force               replace every key
  --encryption-keys N   how many processor encryption key pairs (default 2)
exit status: 0 ok, 1 failed, 2 usage
USAGE
      ;;
    users)
      cat <<'USAGE'
usage: ./scripts/tonewall users add NAME [--role agent|supervisor|auditor|admin] [--agent-id ID] [--name TEXT]
                                 [--max-amount AMOUNT] [--password-env VAR | --generate] [--totp] [--file PATH]
       ./scripts/tonewall users totp NAME [--clear] [--file PATH]
       ./scripts/tonewall users list [--file PATH]

The local users the agent desktop signs in with (scrypt-hashed passwords of at least 12 characters,
TOTP authenticator keys; a file of mode 0600; default TONEWALL_USERS_FILE or .run/dev/users.json).
exit status: 0 ok, 1 failed, 2 usage
USAGE
      ;;
    "users add")
      cat <<'USAGE'
usage: ./scripts/tonewall users add NAME [--role agent|supervisor|auditor|admin] [--agent-id ID] [--name TEXT]
                                 [--max-amount AMOUNT] [--password-env VAR | --generate] [--totp] [--file PATH]

Adds the user NAME (replaces it when it exists, authenticator included). The password (at least 12
characters) comes from the environment variable --password-env names, or is generated and printed
once (--generate), or is the first line of stdin.
  --totp       make an authenticator key and print it once (else the user sets one up at sign-in)
  --role       one or more (repeat or comma-separate); default agent
  --agent-id   the agent id the user's calls carry (agents see only their own calls)
  --max-amount the user's own limit per payment they start (default TONEWALL_AGENT_MAX_AMOUNT;
               a payment from an integration's order is not limited by it)
  --name       the display name (default NAME)
  --file       the users file (default TONEWALL_USERS_FILE or .run/dev/users.json)
exit status: 0 ok, 1 failed, 2 usage
USAGE
      ;;
    "users totp")
      cat <<'USAGE'
usage: ./scripts/tonewall users totp NAME [--clear] [--file PATH]

Gives the user NAME a new authenticator (TOTP) key and prints it once, with an otpauth:// URI for the
app: for a lost phone, or to enrol a user before their first sign-in.
  --clear      remove the key instead: the user sets up a new one at their next sign-in
  --file       the users file (default TONEWALL_USERS_FILE or .run/dev/users.json)
exit status: 0 ok, 1 failed, 2 usage
USAGE
      ;;
    "users list")
      cat <<'USAGE'
usage: ./scripts/tonewall users list [--file PATH]

Lists the local users: name, roles, agent id, whether they have an authenticator.
exit status: 0 ok, 1 failed, 2 usage
USAGE
      ;;
    audit)
      cat <<'USAGE'
usage: ./scripts/tonewall audit verify [--keys PATH]... [--no-head] [--partial] [--shipped FILE]
                                       [LOG-DIR | FILE]...
       ./scripts/tonewall audit report --from DATE --to DATE [--out FILE] [--keys PATH]... [--log PATH]...
                                       [--scan PATH]... [--no-head]

The auditor's tools, offline, with only the public keys (docs/audit.md). './scripts/tonewall audit
verify --help' and 'audit report --help' say more.
exit status: 0 verified, 1 not, 2 usage
USAGE
      ;;
    "audit verify")
      cat <<'USAGE'
usage: ./scripts/tonewall audit verify [--keys PATH]... [--no-head] [--partial] [--shipped FILE]
                                       [LOG-DIR | FILE]...

Checks the audit log's hash chain and signatures offline. The log defaults to TONEWALL_AUDIT_DIR or
.run/dev/audit; the keys to the pinned keyring audit-keyring.json in TONEWALL_KEYS_DIR or keys/.
  --keys PATH     a keyring (*.json), a public key file or a folder of them (repeatable)
  --no-head       do not require the signed head record
  --partial       the files need not start at the chain's first record
  --shipped FILE  also compare the log with the copy its receiver kept (up: .run/dev/audit-shipped/audit.log):
                  a record the copy holds that the log lost or holds otherwise is a rollback
exit status: 0 the log verifies (and agrees with the copy), 1 it does not (or cannot be read), 2 usage
USAGE
      ;;
    "audit report")
      cat <<'USAGE'
usage: ./scripts/tonewall audit report --from DATE --to DATE [--out FILE] [--keys PATH]... [--log PATH]...
                                       [--scan PATH]... [--no-head]

Writes the auditor's HTML report for [--from, --to) (ISO 8601; a bare date is midnight UTC): the
chain's verification, call and payment figures, the masking-check results, a card-number scan.
  --out FILE    default tonewall-audit-<from>-<to>.html
  --keys PATH   keyring or public keys (default keys/audit-keyring.json)   --log PATH   the log (default .run/dev/audit)
  --scan PATH   what to scan for card numbers (default .run/dev)
  --no-head     do not require the signed head record
exit status: 0 verified and no card number found, 1 not, 2 usage
USAGE
      ;;
    api-key)
      cat <<'USAGE'
usage: ./scripts/tonewall api-key NAME --scope SCOPE [--scope SCOPE]... --expires YYYY-MM-DD

Makes an integration key for a CRM/CTI system: prints the key once (it is not kept) and the
TONEWALL_API_KEY_SHA256 entry for the gateway: name, SHA-256 digest, scopes, expiry.
  --scope      payments:write, payments:read, calls:read, calls:write, audit:read (repeat or comma-separate)
  --expires    the date the key stops working (00:00 UTC), at most 366 days ahead
exit status: 0 ok, 2 usage
USAGE
      ;;
    pan-scan)
      cat <<'USAGE'
usage: ./scripts/tonewall pan-scan [--any-prefix] PATH...

Finds card numbers (Luhn-valid, 13-19 digits, a brand's prefix and length; --any-prefix: any prefix)
in files and folders, read as bytes; prints each find masked, never the number.
exit status: 0 none found, 1 a find (or an unreadable path), 2 usage
USAGE
      ;;
    config)
      cat <<'USAGE'
usage: ./scripts/tonewall config
       ./scripts/tonewall config check

Prints every TONEWALL_* setting (README "Configuration") as this environment makes it: its value, its
default, or unset, and where it comes from; secrets and values that do not parse are masked. Starts
nothing. 'config check' validates instead.
exit status: 0 the settings are valid, 1 they are not (each bad setting named), 2 usage
USAGE
      ;;
    "config check")
      cat <<'USAGE'
usage: ./scripts/tonewall config check

Runs the gateway's start-up checks on this environment's settings without starting anything: every
value against the settings registry (unknown TONEWALL_* names too), then the key and certificate
files they name. Prints each bad setting, never its value.
exit status: 0 the configuration is valid, 1 it is not, 2 usage
USAGE
      ;;
    masking-check)
      cat <<'USAGE'
usage: ./scripts/tonewall masking-check [--run NAME] [--own-stack] [--mode outside|capture|both]
                                        [--layouts TEXT,…] [--no-phones] [--env K=V …]

Real calls through the running stack (or its own with --own-stack) in every RTP layout and with real
phones; every agent stream checked for DTMF; prints the table and writes a result signed with the
audit key to .run/<run>/masking-check/ (shown in the audit report). Installs what is missing.
exit status: 0 every call passed, 1 a call leaked, lost audio or a report, 2 usage
USAGE
      ;;
    test)
      cat <<'USAGE'
usage: ./scripts/tonewall test

Installs what is missing (apt, Chromium, npm ci), then typecheck, lint, build, the whole vitest suite
(unit, contract, browser, integration on a real stack in .run/test) and a card-number scan of every
log the tests wrote.
exit status: 0 all passed, 1 something failed, 2 usage
USAGE
      ;;
    bench)
      cat <<'USAGE'
usage: ./scripts/tonewall bench [--levels 25,50,100,150,200,250,300] [--runs 3] [--quick] [--rate 40]
                                [--modes on,off,one-hop] [--baseline-level held|N[,…]] [--probes N]
                                [--burners N] [--no-prompts] [--out FILE.md] [--json FILE.json] [--profile]
                                [--report-from docs/benchmarks/a.json[,b.json…]]

Capacity, masking and latency on an own stack in .run/bench; writes the raw figures to
docs/benchmarks/ and docs/benchmarks.md from them (--quick: one small load, one run, written to
.run/bench; --report-from: the markdown again from raw figures, no measuring; --burners: N busy
loops beside every run, the host's CPUs contended on purpose). Installs what is missing.
exit status: 0 ok, 1 failed (or another bench runs), 2 usage
USAGE
      ;;
    *) return 1 ;;
  esac
}
