SUMMARY = "rtpengine's in-kernel RTP forwarding (nft_rtpengine)"
DESCRIPTION = "The kernel-module part of rtpengine, built out of tree against the image's kernel as its \
documentation describes (`make` in kernel-module/ with the kernel build directory). rtpengine 14 and later name \
it nft_rtpengine (an nftables expression); older releases called it xt_RTPENGINE."
HOMEPAGE = "https://github.com/sipwise/rtpengine"
# debian/copyright: every file GPL-3.0-or-later with an OpenSSL linking exception.
LICENSE = "GPL-3.0-or-later"
LIC_FILES_CHKSUM = "file://../LICENSE;md5=d32239bcb673463ab874e80d47fae504"

SRC_URI = "git://github.com/sipwise/rtpengine.git;protocol=https;branch=mr26.2.1"
# Tag mr26.2.1.1, the same source as the rtpengine daemon recipe.
SRCREV = "dd54a22c0b3584c209917c26b977a25c2112c545"

UNPACKDIR ??= "${WORKDIR}"
S = "${UNPACKDIR}/git/kernel-module"

inherit module

export RTPENGINE_VERSION = "${PV}"
EXTRA_OEMAKE = "KSRC=${STAGING_KERNEL_BUILDDIR} KERNELRELEASE=${KERNEL_VERSION}"

do_compile() {
    oe_runmake modules
}

# The module's own install target runs depmod on the build host; the kernel packaging runs it for the image.
do_install() {
    install -D -m 0644 ${S}/nft_rtpengine.ko ${D}${nonarch_base_libdir}/modules/${KERNEL_VERSION}/updates/nft_rtpengine.ko
}

KERNEL_MODULE_AUTOLOAD += "nft_rtpengine"
RPROVIDES:${PN} += "kernel-module-nft-rtpengine"
