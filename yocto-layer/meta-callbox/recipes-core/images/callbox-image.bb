SUMMARY = "Callbox appliance image"
DESCRIPTION = "Minimal systemd image with a read-only root file system and a separate data partition: the Callbox \
firmware, rtpengine with in-kernel forwarding, nftables, net-snmp's snmpd, chrony and the RAUC updater. \
No compilers, no package manager."
LICENSE = "MIT"

inherit core-image

IMAGE_FEATURES = "read-only-rootfs"
IMAGE_LINGUAS = ""

IMAGE_INSTALL = " \
    packagegroup-core-boot \
    callbox \
    rtpengine \
    kernel-module-nft-rtpengine \
    nftables \
    net-snmp-server-snmpd \
    chrony \
    rauc \
    e2fsprogs-e2fsck \
    e2fsprogs-resize2fs \
    ca-certificates \
    tzdata \
"

# Two root slots and a data partition (wic/callbox-ab.wks.in); the slot size bounds the image size.
WKS_FILE = "callbox-ab.wks.in"
CALLBOX_ROOTFS_SLOT_SIZE ?= "1536M"
CALLBOX_DATA_SIZE ?= "2048M"
WICVARS:append = " CALLBOX_ROOTFS_SLOT_SIZE CALLBOX_DATA_SIZE"
IMAGE_FSTYPES = "ext4 wic wic.bmap"

# An appliance that can compile code is an appliance that can be made to run anything: refuse the image if a
# toolchain slipped in through a dependency.
ROOTFS_POSTPROCESS_COMMAND += "callbox_refuse_compilers"
callbox_refuse_compilers() {
    for tool in gcc g++ cc c++ clang clang++ tcc; do
        if [ -e ${IMAGE_ROOTFS}${bindir}/$tool ]; then
            bbfatal "callbox-image must not contain a compiler, found ${bindir}/$tool"
        fi
    done
}
