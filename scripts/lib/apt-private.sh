# shellcheck shell=bash
# Private apt state for suites other than the system's own.
#
# Source this file, then call:
#   apt_private_init DIR            # once; creates DIR/apt/{lists,cache,...}
#   apt_private_suite NAME SUITE    # writes a one-suite sources list called NAME
#   apt_private NAME get ARGS...    # apt-get with that list and private state
#   apt_private NAME cache ARGS...  # apt-cache likewise
#
# The mirror is taken from the machine's own apt configuration (deb822
# `URIs:` lines or one-line `deb` entries); no host name is written here.
# Nothing is installed into the system from these lists unless the caller
# runs `apt_private NAME get install`, and the system's /etc/apt stays as is.

APT_PRIVATE_KEYRING=${APT_PRIVATE_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

# Prints the first Debian mirror URI configured on this machine; with
# argument "security", the security mirror instead.
apt_private_mirror() {
    local uri="" want=${1:-main}
    if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
        uri=$(awk '
            /^Types:/ { deb = ($0 ~ /[[:space:]]deb([[:space:]]|$)/) }
            /^URIs:/ && deb { for (i = 2; i <= NF; i++) print $i }
            /^$/ { deb = 0 }' /etc/apt/sources.list.d/*.sources 2>/dev/null |
            apt_private_pick "$want")
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }' \
            /etc/apt/sources.list | apt_private_pick "$want")
    fi
    [ -n "$uri" ] || return 1
    printf '%s\n' "${uri%/}"
}

apt_private_pick() {
    if [ "$1" = security ]; then
        grep -e '/debian-security/\?$' | head -n 1
    else
        grep -v -e security | grep -e '/debian/\?$' | head -n 1
    fi
}

apt_private_init() {
    APT_PRIVATE_DIR=$1
    mkdir -p "$APT_PRIVATE_DIR"
}

# apt_private_suite NAME "SUITE [SUITE...]" [COMPONENTS]
# Suites named CODENAME-security are taken from the security mirror.
apt_private_suite() {
    local name=$1 suites=$2 components=${3:-main} mirror security suite
    mirror=$(apt_private_mirror) || { echo "apt-private: no Debian mirror found in /etc/apt" >&2; return 1; }
    security=$(apt_private_mirror security || true)
    mkdir -p "$APT_PRIVATE_DIR/$name/lists/partial" "$APT_PRIVATE_DIR/$name/cache/archives/partial"
    : > "$APT_PRIVATE_DIR/$name/sources.list"
    for suite in $suites; do
        case "$suite" in
            *-security) [ -n "$security" ] || continue
                        printf 'deb [signed-by=%s] %s %s %s\n' "$APT_PRIVATE_KEYRING" "$security" "$suite" "$components" ;;
            *)          printf 'deb [signed-by=%s] %s %s %s\n' "$APT_PRIVATE_KEYRING" "$mirror" "$suite" "$components" ;;
        esac >> "$APT_PRIVATE_DIR/$name/sources.list"
    done
}

# The running system's Debian codename (bookworm on Debian 12).
apt_private_codename() {
    . /etc/os-release && printf '%s\n' "${VERSION_CODENAME:?}"
}

# apt_private NAME get|cache ARGS...
apt_private() {
    local name=$1 tool=$2; shift 2
    local d="$APT_PRIVATE_DIR/$name"
    local opts=(-o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=-"
                -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache"
                -o "APT::Sandbox::User=root")
    case "$tool" in
        get)   DEBIAN_FRONTEND=noninteractive apt-get "${opts[@]}" "$@" ;;
        cache) apt-cache "${opts[@]}" "$@" ;;
        *) echo "apt_private: unknown tool $tool" >&2; return 2 ;;
    esac
}
