# shellcheck shell=bash
# Initramfs recipe, sourced by scripts/vm-setup after common.sh.
# Part of the initramfs cache key together with guest-init and busybox.
#
# The initramfs is only busybox-static plus scripts/vm/guest-init: the guest
# kernel has every driver built in, and all real work happens in the host's
# root filesystem, which the init mounts over virtio-9p and chroots into.

# vm_initramfs_build OUTDIR
vm_initramfs_build() {
    local out=$1 busybox stage root applet
    busybox=$(vm_busybox_path) || vm_die "no static busybox found (install busybox-static)"
    stage="$out.partial"
    rm -rf "$stage" && mkdir -p "$stage"
    root="$stage/root"
    mkdir -p "$root"/{bin,sbin,dev,proc,sys,host,ctl,run,tmp}
    cp "$busybox" "$root/bin/busybox"
    # Symlink every applet so the init can call them by name.
    for applet in $("$busybox" --list); do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    install -m 0755 "$VM_SCRIPTS_DIR/guest-init" "$root/init"
    # The kernel opens /dev/console for the init before devtmpfs exists;
    # cpio's newc format takes the nodes from the staging tree. Creating them
    # needs root: without them the init reopens the console itself.
    mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null &&
        mknod -m 666 "$root/dev/null" c 1 3 ||
        vm_say "warning: cannot create device nodes (not root); the guest init will open the console late"
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -6 > "$stage/initramfs.cpio.gz"
    rm -rf "$root"
    rm -rf "$out"
    mv "$stage" "$out"
}
