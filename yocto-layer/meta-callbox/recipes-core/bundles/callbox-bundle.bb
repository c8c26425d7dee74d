SUMMARY = "Callbox update bundle (RAUC) with the root file system image"
DESCRIPTION = "A signed RAUC bundle for the inactive root slot. Its compatible string names the machine, so a \
bundle for another board is refused before anything is written."
LICENSE = "MIT"

inherit bundle

RAUC_BUNDLE_COMPATIBLE = "callbox-${MACHINE}"
RAUC_BUNDLE_VERSION = "${DISTRO_VERSION}"
RAUC_BUNDLE_DESCRIPTION = "Callbox ${DISTRO_VERSION} for ${MACHINE}"
RAUC_BUNDLE_FORMAT = "verity"

RAUC_BUNDLE_SLOTS = "rootfs"
RAUC_SLOT_rootfs = "callbox-image"
RAUC_SLOT_rootfs[fstype] = "ext4"

# The signing key stays off the layer: point CALLBOX_RAUC_KEY_DIR at it in local.conf (see the layer README).
CALLBOX_RAUC_KEY_DIR ??= "${TOPDIR}/rauc-keys"
RAUC_KEY_FILE = "${CALLBOX_RAUC_KEY_DIR}/callbox-signing.key.pem"
RAUC_CERT_FILE = "${CALLBOX_RAUC_KEY_DIR}/callbox-signing.cert.pem"
