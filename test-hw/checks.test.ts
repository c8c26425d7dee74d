import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtinBoards } from '../firmware/src/platform/builtin-boards.ts';
import { SimulatedGpio } from '../firmware/src/platform/gpio-simulated.ts';
import { spawnProcess } from '../firmware/test/helpers/process.ts';
import { tempDir } from '../firmware/test/helpers/tmp.ts';
import { checkButton, checkDisks, checkLeds, checkNics, checkRtpengineModule, checkThermal, readMounts } from './checks.ts';

const rk = builtinBoards().find((b) => b.id === 'rk3568-1u');
assert.ok(rk);

function put(root: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

/** A fixture of what an RK3568 box exposes, with `eth2` and the second disk missing and one hot sensor. */
function rkRoot(t: Parameters<typeof tempDir>[0]): string {
  const root = tempDir(t);
  for (const n of ['lo', 'eth0', 'eth1']) put(root, `sys/class/net/${n}/operstate`, 'up\n');
  put(root, 'sys/class/thermal/thermal_zone0/type', 'soc-thermal\n');
  put(root, 'sys/class/thermal/thermal_zone0/temp', '48500\n');
  put(root, 'sys/class/thermal/thermal_zone1/type', 'gpu-thermal\n');
  put(root, 'sys/class/thermal/thermal_zone1/temp', '97000\n');
  put(root, 'dev/sda1', '');
  mkdirSync(path.join(root, 'dev/disk/by-label'), { recursive: true });
  symlinkSync('../../sda1', path.join(root, 'dev/disk/by-label/CB-REC1'));
  put(
    root,
    'proc/self/mountinfo',
    [
      '22 1 179:2 / / ro,relatime shared:1 - ext4 /dev/mmcblk0p2 ro',
      '30 22 8:1 / /srv/recordings/1 rw,noatime shared:9 - ext4 /dev/sda1 rw',
      '31 22 8:17 / /mnt/with\\040space rw shared:10 - vfat /dev/sdb1 rw',
    ].join('\n'),
  );
  put(root, 'lib/modules/6.6.0/modules.dep', 'updates/dkms/xt_RTPENGINE.ko.xz: kernel/net/netfilter/x_tables.ko.xz\n');
  return root;
}

test('NICs: present ones pass with their state, a missing required one fails naming what exists', (t) => {
  const results = checkNics(rk, rkRoot(t));
  assert.deepEqual(results.map((r) => [r.name, r.ok]), [['nic wan-trunks', true], ['nic lan-phones', true], ['nic management', false]]);
  assert.match(results[2]?.detail ?? '', /eth2 not present; interfaces: eth0, eth1, lo/);
});

test('disks: the mount must exist and come from the configured device', (t) => {
  const root = rkRoot(t);
  assert.equal(readMounts(root).get('/mnt/with space'), '/dev/sdb1');
  const results = checkDisks(rk, root);
  assert.deepEqual(results.map((r) => [r.name, r.ok]), [['disk recordings-1', true], ['disk recordings-2', true]]);
  assert.match(results[1]?.detail ?? '', /nothing mounted on \/srv\/recordings\/2 \(optional\)/);
  put(root, 'proc/self/mountinfo', '30 22 8:1 / /srv/recordings/1 rw - ext4 /dev/sdc1 rw');
  assert.match(checkDisks(rk, root)[0]?.detail ?? '', /is \/dev\/sdc1, expected \/dev\/disk\/by-label\/CB-REC1 \(\/dev\/sda1\)/);
});

test('rtpengine kernel forwarding: loaded, installed, or missing', (t) => {
  const root = rkRoot(t);
  assert.match(checkRtpengineModule(root, '6.6.0').detail, /installed, not loaded/);
  assert.equal(checkRtpengineModule(root, '6.1.0').ok, false);
  put(root, 'lib/modules/6.12.0/modules.dep', 'updates/nft_rtpengine.ko: kernel/net/netfilter/nf_tables.ko\n');
  assert.match(checkRtpengineModule(root, '6.12.0').detail, /updates\/nft_rtpengine\.ko \(modprobe nft_rtpengine\)/);
  put(root, 'proc/modules', 'xt_RTPENGINE 69632 1 - Live 0x0000000000000000 (O)\n');
  assert.deepEqual(checkRtpengineModule(root, '6.1.0'), { name: 'rtpengine kernel module', ok: true, detail: 'xt_RTPENGINE loaded' });
});

test('temperatures are read in degrees and judged against the board limits', (t) => {
  const results = checkThermal(rk, rkRoot(t));
  assert.deepEqual(results.map((r) => r.ok), [true, false]);
  assert.match(results[0]?.detail ?? '', /48\.5 °C/);
  assert.match(results[1]?.detail ?? '', /97\.0 °C at or above the critical 95 °C/);
});

test('LEDs are written and read back; the button is compared with the jumper', () => {
  const gpio = new SimulatedGpio(rk);
  assert.ok(checkLeds(rk, gpio).every((r) => r.ok));
  assert.equal(checkButton(rk, gpio, 'released').ok, true);
  assert.match(checkButton(rk, gpio, 'pressed').detail, /reads released, expected pressed \(jumper fitted\)/);
  const dark = new SimulatedGpio({ leds: {}, resetButton: null });
  assert.deepEqual(checkLeds(rk, dark).map((r) => r.ok), [false, false, false, false]);
});

test('off a board the suite says why it skips and exits 0', async (t) => {
  const run = fileURLToPath(new URL('./run.ts', import.meta.url));
  const proc = spawnProcess(t, process.execPath, [run], { env: { ...process.env, CALLBOX_BOARD: 'simulated' } });
  const { code } = await proc.exited;
  assert.equal(code, 0, proc.output());
  assert.match(proc.output(), /test-hw: skipped, not on a Callbox board \(CALLBOX_BOARD=simulated\)/);
});
