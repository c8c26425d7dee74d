# Callbox A/B boot (U-Boot script, compiled to boot.scr). RAUC's U-Boot backend keeps BOOT_ORDER and BOOT_<slot>_LEFT
# in the U-Boot environment: each boot of a slot spends one try; marking the slot good (`rauc status mark-good`
# after a healthy start) refills them. A slot without tries left is skipped, so a bad update falls back.
# Partitions (wic/callbox-ab.wks.in): 1 boot, 2 rootfs_a, 3 rootfs_b, 4 data. Kernel and device tree come from the
# chosen root slot's /boot, so an update replaces them together with the root file system.

test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A B"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 3

setenv callbox_part
setenv callbox_slot
for slot in "${BOOT_ORDER}"; do
  if test "x${callbox_part}" = "x"; then
    if test "x${slot}" = "xA" && test ${BOOT_A_LEFT} -gt 0; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      setenv callbox_part 2
      setenv callbox_slot A
    elif test "x${slot}" = "xB" && test ${BOOT_B_LEFT} -gt 0; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      setenv callbox_part 3
      setenv callbox_slot B
    fi
  fi
done

if test "x${callbox_part}" = "x"; then
  echo "Callbox: no root slot has tries left; resetting the counters and rebooting"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 3
  saveenv
  reset
fi

saveenv
echo "Callbox: booting slot ${callbox_slot} from ${devtype} ${devnum}:${callbox_part}"
setenv bootargs "${bootargs} root=/dev/mmcblk${devnum}p${callbox_part} rootfstype=ext4 rootwait ro rauc.slot=${callbox_slot}"
load ${devtype} ${devnum}:${callbox_part} ${kernel_addr_r} /boot/Image
load ${devtype} ${devnum}:${callbox_part} ${fdt_addr_r} /boot/${fdtfile}
booti ${kernel_addr_r} - ${fdt_addr_r}
