# shellcheck shell=bash
# Guest kernel recipe, sourced by scripts/vm-setup after common.sh.
#
# This file is part of the kernel cache key (with guest-kernel.config and the
# exact Debian version of the source): editing it, even a comment, triggers a
# rebuild on the next vm-setup. Keep anything unrelated to the kernel out.

# Options that must end up =y, or the tests cannot run at all. olddefconfig
# silently drops options whose dependencies are missing, so check after it.
VM_KERNEL_REQUIRED=(
    IOMMUFD IOMMUFD_TEST
    VFIO VFIO_DEVICE_CDEV VFIO_PCI
    IOMMU_SUPPORT INTEL_IOMMU AMD_IOMMU AMD_IOMMU_IOMMUFD VIRTIO_IOMMU IRQ_REMAP
    PCI PCI_MSI ACPI
    9P_FS NET_9P NET_9P_VIRTIO VIRTIO_PCI
    DEVTMPFS BLK_DEV_INITRD RD_GZIP TMPFS PROC_FS SYSFS BINFMT_ELF BINFMT_SCRIPT
    FUTEX EPOLL EVENTFD SIGNALFD TIMERFD SHMEM UNIX RSEQ
    SERIAL_8250_CONSOLE
    TRANSPARENT_HUGEPAGE HUGETLBFS
)

# vm_kernel_build DEB SRCPKG OUTDIR
# Unpacks the linux-source .deb (arch:all, never installed), configures,
# builds bzImage and fills OUTDIR with bzImage, config, release,
# iommufd_test.h and the kernel's UAPI headers. The ~2 GB work tree is removed
# afterwards; OUTDIR is only created when everything succeeded.
vm_kernel_build() {
    local deb=$1 srcpkg=$2 out=$3
    local work="$VM_CACHE/build" tree opt missing=() t0
    rm -rf "$work" && mkdir -p "$work"

    t0=$(vm_now)
    dpkg -x "$deb" "$work/deb"
    local tarball
    tarball=$(ls "$work"/deb/usr/src/linux-source-*.tar.xz) || vm_die "no kernel tarball in $deb"
    tar -C "$work" -xf "$tarball"
    rm -rf "$work/deb"
    tree=$(ls -d "$work"/linux-source-*/) || vm_die "tarball did not unpack to linux-source-*"
    tree=${tree%/}
    vm_say "unpacked $srcpkg in $(vm_elapsed "$t0") s"

    # Reproducible-ish metadata; the build host name is irrelevant here.
    export KBUILD_BUILD_USER=swift-iommufd KBUILD_BUILD_HOST=vm-setup

    t0=$(vm_now)
    (
        cd "$tree"
        make -s tinyconfig
        # -m: merge only; olddefconfig below resolves the dependencies.
        ./scripts/kconfig/merge_config.sh -m .config \
            kernel/configs/kvm_guest.config "$VM_SCRIPTS_DIR/guest-kernel.config" >/dev/null
        make -s olddefconfig
    ) || vm_die "kernel configuration failed"

    for opt in "${VM_KERNEL_REQUIRED[@]}"; do
        grep -qx "CONFIG_$opt=y" "$tree/.config" || missing+=("CONFIG_$opt")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        vm_die "the merged kernel config lacks required options (a dependency changed in $srcpkg?): ${missing[*]}"
    fi
    # Options the fragment asks for but did not stick are worth a warning.
    local want
    while IFS= read -r want; do
        grep -qx "$want" "$tree/.config" || vm_say "warning: fragment asks for $want, the config has $(grep -E "^(# )?${want%%=*}[= ]" "$tree/.config" || echo 'nothing')"
    done < <(grep -E '^CONFIG_[A-Z0-9_]+=y$' "$VM_SCRIPTS_DIR/guest-kernel.config")
    vm_say "configured in $(vm_elapsed "$t0") s"

    t0=$(vm_now)
    local jobs=$(( $(nproc) + 1 ))
    vm_say "building bzImage with $jobs jobs (7-15 minutes on 2 cores, depending on the load; log: $work/build.log)"
    # `headers` exports the sanitised UAPI headers to usr/include (the raw
    # include/uapi files carry __user annotations that userspace compilers
    # reject).
    if ! make -C "$tree" -j"$jobs" bzImage headers >"$work/build.log" 2>&1; then
        tail -n 40 "$work/build.log" >&2
        vm_die "kernel build failed (full log: $work/build.log)"
    fi
    vm_say "built bzImage in $(vm_elapsed "$t0") s"

    local stage="$out.partial"
    rm -rf "$stage" && mkdir -p "$stage/include"
    cp "$tree/arch/x86/boot/bzImage" "$stage/bzImage"
    cp "$tree/.config" "$stage/config"
    make -s -C "$tree" kernelrelease > "$stage/release"
    # Test-only header of the IOMMUFD_TEST mock device (not UAPI): the
    # project checks its struct layouts against it.
    cp "$tree/drivers/iommu/iommufd/iommufd_test.h" "$stage/iommufd_test.h"
    # The guest kernel's whole UAPI (as `make headers_install` would give it,
    # ~6 MB): newer than the host's linux-libc-dev, and self-consistent, e.g.
    # linux/vfio.h needs __counted_by from the same kernel's linux/stddef.h.
    (cd "$tree/usr/include" && find . -name '*.h' -print0 | tar --null -T - -cf -) |
        tar -C "$stage/include" -xf -
    mv "$stage" "$out"
    rm -rf "$work"
}
