SUMMARY = "Callbox firmware: SIP engine, call center, web console, SNMP and platform services"
DESCRIPTION = "Installs the one-file Callbox executable built by `make firmware` (Node's single executable \
application), its web UI, prompts and MIB beside it, and the systemd units that run it. Yocto 6.0 disables the \
npm fetchers, so the firmware is not rebuilt here."
HOMEPAGE = "https://callbox.invalid/"
LICENSE = "CLOSED"

# Where `make firmware` left build/firmware/{x64,arm64}/ (set it in local.conf; see the layer README).
CALLBOX_FIRMWARE_DIR ??= "${TOPDIR}/../callbox/build/firmware"
FILESEXTRAPATHS:prepend := "${CALLBOX_FIRMWARE_DIR}:"

CALLBOX_ARCH = "${@{'aarch64': 'arm64', 'x86_64': 'x64'}.get(d.getVar('TARGET_ARCH'), 'unsupported')}"
COMPATIBLE_HOST = "(aarch64|x86_64).*-linux"

SRC_URI = " \
    file://${CALLBOX_ARCH}/ \
    file://callbox.service \
    file://callbox-sip.service \
    file://callbox.env \
    file://callbox-tmpfiles.conf \
    file://90-callbox-panel.rules \
    file://90-callbox-sip.conf \
"

# scarthgap unpacks into WORKDIR, later releases into UNPACKDIR.
UNPACKDIR ??= "${WORKDIR}"
S = "${UNPACKDIR}/${CALLBOX_ARCH}"

inherit systemd useradd

USERADD_PACKAGES = "${PN}"
USERADD_PARAM:${PN} = "--system --home-dir /data/callbox --no-create-home --shell /sbin/nologin --user-group callbox"

SYSTEMD_SERVICE:${PN} = "callbox-sip.service callbox.service"
SYSTEMD_AUTO_ENABLE = "enable"

do_configure[noexec] = "1"
do_compile[noexec] = "1"

do_install() {
    install -D -m 0755 ${S}/bin/callbox ${D}${bindir}/callbox
    install -d ${D}${datadir}/callbox
    cp -R --no-preserve=ownership ${S}/share/callbox/. ${D}${datadir}/callbox/

    install -D -m 0644 ${UNPACKDIR}/callbox.service ${D}${systemd_system_unitdir}/callbox.service
    install -D -m 0644 ${UNPACKDIR}/callbox-sip.service ${D}${systemd_system_unitdir}/callbox-sip.service
    install -D -m 0644 ${UNPACKDIR}/callbox.env ${D}${sysconfdir}/default/callbox
    install -D -m 0644 ${UNPACKDIR}/callbox-tmpfiles.conf ${D}${nonarch_libdir}/tmpfiles.d/callbox.conf
    install -D -m 0644 ${UNPACKDIR}/90-callbox-panel.rules ${D}${nonarch_base_libdir}/udev/rules.d/90-callbox-panel.rules
    install -D -m 0644 ${UNPACKDIR}/90-callbox-sip.conf ${D}${nonarch_libdir}/sysctl.d/90-callbox-sip.conf

    # Mount points on the read-only root: the data partition and the boards' recording disks.
    install -d ${D}/data ${D}/srv/recordings/1 ${D}/srv/recordings/2
}

FILES:${PN} += " \
    ${datadir}/callbox \
    ${systemd_system_unitdir} \
    ${nonarch_libdir}/tmpfiles.d \
    ${nonarch_libdir}/sysctl.d \
    ${nonarch_base_libdir}/udev/rules.d \
    /data \
    /srv/recordings \
"

RDEPENDS:${PN} = "rtpengine nftables"

# The executable carries its program as an injected section: stripping or splitting it would destroy it.
INHIBIT_PACKAGE_STRIP = "1"
INHIBIT_PACKAGE_DEBUG_SPLIT = "1"
INHIBIT_SYSROOT_STRIP = "1"
INSANE_SKIP:${PN} = "already-stripped ldflags"
