# shellcheck shell=bash
# The command line's checks for ./scripts/tonewall: --help anywhere, unknown options and arguments (exit 2
# with the usage on stderr). Sourced by scripts/tonewall, after usage.sh.

# True when -h or --help is among the arguments (before a `--`).
wants_help() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      --) return 1 ;;
      -h | --help) return 0 ;;
    esac
  done
  return 1
}

# usage_error TOPIC MESSAGE: the message and TOPIC's usage on stderr, exit 2.
usage_error() {
  echo "tonewall: $2" >&2
  command_usage "$1" >&2 || usage >&2
  exit 2
}

# check_options TOPIC ARG...: a usage error for an option TOPIC's usage does not name (before a `--`),
# so that a mistyped option fails at once, before anything is installed, built or started. The usage
# text is the list; the scripts/*.ts entry points check the values.
check_options() {
  local topic=$1 arg allowed
  shift
  allowed=" $(command_usage "$topic" | { grep -o -- '--[a-z][a-z0-9-]*' || true; } | sort -u | tr '\n' ' ')"
  for arg in "$@"; do
    case "$arg" in
      --) return 0 ;;
      --*) [[ "$allowed" == *" ${arg%%=*} "* ]] || usage_error "$topic" "$topic: unknown option '${arg%%=*}'" ;;
      -?*) usage_error "$topic" "$topic: unknown option '$arg'" ;;
    esac
  done
}

# no_arguments TOPIC ARG...: a usage error when any argument is given.
no_arguments() {
  local topic=$1
  shift
  [ "$#" -eq 0 ] || usage_error "$topic" "$topic: unknown argument '$1'"
}
