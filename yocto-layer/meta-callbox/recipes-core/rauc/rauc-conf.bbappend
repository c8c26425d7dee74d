# meta-rauc's rauc-conf installs /etc/rauc/system.conf and the keyring; ours knows the two root slots.
FILESEXTRAPATHS:prepend := "${THISDIR}/files:"

do_install:append() {
    sed -i -e 's|@MACHINE@|${MACHINE}|' ${D}${sysconfdir}/rauc/system.conf
}
