import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { GpioLine } from './board-config.ts';

export interface GpioChip {
  dir: string;
  label: string;
  base: number;
  ngpio: number;
}

export class GpioUnavailableError extends Error {}

/** The GPIO chips the kernel exposes through sysfs. Throws GpioUnavailableError when sysfs GPIO is missing. */
export function listGpioChips(sysfsGpio = '/sys/class/gpio'): GpioChip[] {
  let entries: string[];
  try {
    entries = readdirSync(sysfsGpio).filter((n) => n.startsWith('gpiochip'));
  } catch {
    throw new GpioUnavailableError(`${sysfsGpio} does not exist: the kernel has no sysfs GPIO (CONFIG_GPIO_SYSFS)`);
  }
  return entries.map((name) => {
    const dir = path.join(sysfsGpio, name);
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8').trim();
    return { dir, label: read('label'), base: Number(read('base')), ngpio: Number(read('ngpio')) };
  });
}

/**
 * The sysfs number of a line. Kernels number sysfs GPIOs from each chip's base, and the bases move between kernel
 * versions (Raspberry Pi kernels 6.6+ start at 512), so the number is always base + offset of the chip found by label.
 */
export function sysfsNumber(line: GpioLine, chips: GpioChip[]): number {
  const chip = chips.find((c) => c.label === line.chip);
  if (chip === undefined) {
    const labels = chips.map((c) => c.label).join(', ') || 'none';
    throw new GpioUnavailableError(`no GPIO chip labelled "${line.chip}" (chips present: ${labels})`);
  }
  if (line.offset >= chip.ngpio) {
    throw new GpioUnavailableError(`GPIO chip "${line.chip}" has ${chip.ngpio} lines; offset ${line.offset} does not exist`);
  }
  return chip.base + line.offset;
}
