SUMMARY = "Callbox A/B boot script for U-Boot (RAUC slot selection with boot counting)"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/MIT;md5=0835ade698e0bcf8506ecda2f7b4f302"

SRC_URI = "file://boot.cmd"

UNPACKDIR ??= "${WORKDIR}"
S = "${UNPACKDIR}"

DEPENDS = "u-boot-mkimage-native"
COMPATIBLE_HOST = "aarch64.*-linux"

inherit deploy nopackages

do_configure[noexec] = "1"

do_compile() {
    mkimage -A arm64 -O linux -T script -C none -n "Callbox A/B boot" -d ${UNPACKDIR}/boot.cmd ${B}/boot.scr
}

# The machine adds it to the boot partition: IMAGE_BOOT_FILES:append = " boot.scr" and
# do_image_wic[depends] += "callbox-boot-script:do_deploy".
do_deploy() {
    install -D -m 0644 ${B}/boot.scr ${DEPLOYDIR}/boot.scr
}
addtask deploy after do_compile before do_build
