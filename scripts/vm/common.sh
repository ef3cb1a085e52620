# shellcheck shell=bash
# Shared helpers for scripts/vm-setup, scripts/vm-run and scripts/vm-test.
#
# Everything the VM test bed builds lives OUTSIDE the git clone, in
#   ${IOMMUFD_VM_CACHE:-/var/cache/swift-iommufd/vm}
# so that `git clean`, fresh clones and CI checkouts all reuse one kernel.

# shellcheck disable=SC2034  # the variables below are for the sourcing scripts
VM_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # scripts/vm
VM_REPO_SCRIPTS=$(dirname "$VM_SCRIPTS_DIR")                    # scripts
VM_CACHE=${IOMMUFD_VM_CACHE:-/var/cache/swift-iommufd/vm}
VM_PROG=${VM_PROG:-$(basename "$0")}

# Kernel series to build: the pinned one unless the caller asks for another.
VM_KERNEL_SERIES=${IOMMUFD_VM_KERNEL:-7.2}
# Oldest series we accept as a fallback (PASID attach / HWPT_ALLOC_PASID).
VM_KERNEL_MIN_SERIES=6.15

# Where vm-run mounts its control share and the caller's --results directory
# inside the guest (the command sees the latter as $IOMMUFD_VM_RESULTS).
VM_GUEST_DIR=/run/iommufd-vm
VM_GUEST_RESULTS=$VM_GUEST_DIR/results

vm_say()  { printf '%s: %s\n' "$VM_PROG" "$*" >&2; }
vm_die()  { printf '%s: error: %s\n' "$VM_PROG" "$*" >&2; exit 1; }
# The calling script's header comment, up to `set -euo`, as its --help.
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
usage_error() { printf '%s: %s (see --help)\n' "$VM_PROG" "$*" >&2; exit 2; }

vm_now() { date +%s.%N; }

# vm_elapsed START -> seconds since START with one decimal.
vm_elapsed() { awk -v a="$1" -v b="$(vm_now)" 'BEGIN { printf "%.1f", b - a }'; }

# vm_stage NAME COMMAND... : runs COMMAND and reports its wall time, so
# every run of vm-setup shows where the time went. COMMAND runs as a plain
# command (not under `||`), so `set -e` stays in force inside it and a
# failure ends the script.
vm_stage() {
    local name=$1 t0; shift
    t0=$(vm_now)
    "$@"
    vm_say "stage '$name': $(vm_elapsed "$t0") s"
}

# sha256 of everything given on stdin.
vm_sha256() { sha256sum | cut -c1-64; }

# POSIX-sh single quoting: safe for any byte string except NUL, and unlike
# bash's printf %q it is understood by dash/busybox sh too.
vm_shquote() {
    local s=$1
    printf "'%s'" "${s//\'/\'\\\'\'}"
}

# ---------------------------------------------------------------------------
# Cache lookups. Layout (see scripts/vm/README.md):
#   $VM_CACHE/kernel/<key>/{bzImage,config,iommufd_test.h,release,meta}
#   $VM_CACHE/initramfs/<key>/{initramfs.cpio.gz,meta}
#   $VM_CACHE/apt/        private apt state (scripts/lib/apt-private.sh)
#   $VM_CACHE/logs/       serial logs of vm-run
# A directory only counts once its `meta` file exists: it is written last.

# Hash of the local inputs of the kernel build (fragment + build recipe).
# The full key adds the exact Debian version of the kernel source.
vm_kernel_local_hash() {
    cat "$VM_SCRIPTS_DIR/guest-kernel.config" "$VM_SCRIPTS_DIR/kernel.sh" | vm_sha256
}

# vm_kernel_key PACKAGE VERSION
vm_kernel_key() {
    { printf 'local=%s\npackage=%s\nversion=%s\n' "$(vm_kernel_local_hash)" "$1" "$2"; } | vm_sha256
}

# Prints the directory of a finished kernel build for the current recipe and
# the requested series ($VM_KERNEL_SERIES), newest first; nothing if none.
vm_find_kernel() {
    local want_local d
    want_local=$(vm_kernel_local_hash)
    # shellcheck disable=SC2045  # newest first; the names are hex keys
    for d in $(ls -1td "$VM_CACHE"/kernel/*/ 2>/dev/null); do
        d=${d%/}
        [ -f "$d/meta" ] && [ -f "$d/bzImage" ] || continue
        grep -qx "local=$want_local" "$d/meta" || continue
        grep -qx "requested=$VM_KERNEL_SERIES" "$d/meta" || continue
        printf '%s\n' "$d"
        return 0
    done
    return 1
}

# The initramfs depends on the guest init, its build recipe and the busybox
# binary that goes into it.
vm_initramfs_key() {
    local busybox
    busybox=$(vm_busybox_path) || return 1
    { cat "$VM_SCRIPTS_DIR/guest-init" "$VM_SCRIPTS_DIR/initramfs.sh"
      sha256sum "$busybox"; } | vm_sha256
}

vm_busybox_path() {
    local b
    for b in /bin/busybox /usr/bin/busybox; do
        # Only the static build works inside the initramfs (no libc there).
        # (a static ELF has no PT_INTERP program header).
        if [ -x "$b" ] && ! LC_ALL=C readelf -lW "$b" 2>/dev/null | grep -q 'INTERP'; then
            printf '%s\n' "$b"; return 0
        fi
    done
    return 1
}

vm_find_initramfs() {
    local key
    key=$(vm_initramfs_key 2>/dev/null) || return 1
    [ -f "$VM_CACHE/initramfs/$key/meta" ] && [ -f "$VM_CACHE/initramfs/$key/initramfs.cpio.gz" ] || return 1
    printf '%s\n' "$VM_CACHE/initramfs/$key"
}

# Prints the shell assignments for a finished setup, or fails.
vm_print_env() {
    local k i
    k=$(vm_find_kernel) || { vm_say "no guest kernel for this recipe in $VM_CACHE (run scripts/vm-setup)"; return 1; }
    i=$(vm_find_initramfs) || { vm_say "no initramfs for this guest-init in $VM_CACHE (run scripts/vm-setup)"; return 1; }
    printf 'IOMMUFD_VM_KERNEL_IMAGE=%s\n' "$(vm_shquote "$k/bzImage")"
    printf 'IOMMUFD_VM_INITRAMFS=%s\n' "$(vm_shquote "$i/initramfs.cpio.gz")"
    printf 'IOMMUFD_VM_TEST_HEADER=%s\n' "$(vm_shquote "$k/iommufd_test.h")"
    printf 'IOMMUFD_VM_UAPI_INCLUDE=%s\n' "$(vm_shquote "$k/include")"
    printf 'IOMMUFD_VM_KERNEL_RELEASE=%s\n' "$(vm_shquote "$(cat "$k/release")")"
    printf 'IOMMUFD_VM_KERNEL_SOURCE=%s\n' "$(vm_shquote "$(sed -n 's/^source=//p' "$k/meta")")"
}
