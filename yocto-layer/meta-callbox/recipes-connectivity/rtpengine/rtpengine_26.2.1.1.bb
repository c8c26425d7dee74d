SUMMARY = "rtpengine: RTP/media proxy with in-kernel forwarding, transcoding, recording and DTMF detection"
DESCRIPTION = "The Sipwise NGCP rtpengine userspace daemon, built as its 'Compiling and Installing' documentation \
describes: `make` in the daemon directory with pkg-config finding the libraries, transcoding enabled."
HOMEPAGE = "https://github.com/sipwise/rtpengine"
# debian/copyright: every file GPL-3.0-or-later with an OpenSSL linking exception.
LICENSE = "GPL-3.0-or-later"
LIC_FILES_CHKSUM = "file://LICENSE;md5=d32239bcb673463ab874e80d47fae504"

SRC_URI = " \
    git://github.com/sipwise/rtpengine.git;protocol=https;branch=mr26.2.1 \
    file://rtpengine.service \
    file://rtpengine.conf \
    file://rtpengine-tmpfiles.conf \
"
# Tag mr26.2.1.1.
SRCREV = "dd54a22c0b3584c209917c26b977a25c2112c545"

UNPACKDIR ??= "${WORKDIR}"
S = "${UNPACKDIR}/git"

# The libraries the daemon's build looks up with pkg-config (utils/gen-common-flags): required ones, the optional
# libsystemd (sd_notify for Type=notify) and libiptc, and ffmpeg, spandsp and opus for transcoding.
DEPENDS = " \
    gperf-native \
    glib-2.0 \
    json-glib \
    curl \
    openssl \
    libevent \
    libpcre2 \
    libwebsockets \
    zlib \
    ncurses \
    opus \
    libjwt \
    hiredis \
    libpcap \
    mariadb \
    ffmpeg \
    spandsp \
    systemd \
    iptables \
"

inherit pkgconfig systemd

# The version string would otherwise come from dpkg-parsechangelog or git, neither of which is in the build.
export RTPENGINE_VERSION = "${PV}"
export with_transcoding = "yes"
EXTRA_OEMAKE = "-C daemon CC='${CC}' LD='${CCLD}'"

# Which addresses or interfaces media is anchored on; set per machine (e.g. "lan/eth0;wan/eth1").
RTPENGINE_INTERFACES ?= "eth0"

# Only the daemon: its default target also renders the man page with pandoc, which the build does not have.
do_compile() {
    oe_runmake rtpengine
}

do_install() {
    install -D -m 0755 ${S}/daemon/rtpengine ${D}${bindir}/rtpengine
    install -D -m 0644 ${UNPACKDIR}/rtpengine.service ${D}${systemd_system_unitdir}/rtpengine.service
    install -D -m 0644 ${UNPACKDIR}/rtpengine.conf ${D}${sysconfdir}/rtpengine/rtpengine.conf
    sed -i -e 's|@RTPENGINE_INTERFACES@|${RTPENGINE_INTERFACES}|' ${D}${sysconfdir}/rtpengine/rtpengine.conf
    install -D -m 0644 ${UNPACKDIR}/rtpengine-tmpfiles.conf ${D}${nonarch_libdir}/tmpfiles.d/rtpengine.conf
}

SYSTEMD_SERVICE:${PN} = "rtpengine.service"
FILES:${PN} += "${systemd_system_unitdir} ${nonarch_libdir}/tmpfiles.d"
CONFFILES:${PN} = "${sysconfdir}/rtpengine/rtpengine.conf"
RRECOMMENDS:${PN} = "kernel-module-nft-rtpengine"
