import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthSampler, type HealthChange, type HealthProbe } from '../../src/platform/health.ts';

type Fs = Awaited<ReturnType<HealthProbe['fileSystems']>>[number];
type Nic = Awaited<ReturnType<HealthProbe['nics']>>[number];

function fakeProbe() {
  const state = {
    fileSystems: [
      { fs: '/dev/sda1', type: 'ext4', size: 100e9, used: 20e9, available: 80e9, use: 20, mount: '/', rw: true },
      { fs: '/dev/sdb1', type: 'ext4', size: 10e9, used: 9.5e9, available: 0.5e9, use: 95.4, mount: '/data', rw: true },
    ] as Fs[],
    nics: [{ iface: 'eth0', operstate: 'up', speed: 1000, mac: '02:00:00:00:00:01', ip4: '192.0.2.10', ip6: '', internal: false }] as Nic[],
    temps: { main: 51.5, max: 63, cores: [60, 62.5] as number[] },
    failTemps: false,
  };
  const probe: HealthProbe = {
    uptimeSeconds: () => 1234,
    cpuLoadPercent: async () => 12.6,
    memory: async () => ({ total: 4096e6, available: 1024e6 }),
    temperatures: async () => {
      if (state.failTemps) throw new Error('sensor gone');
      return state.temps;
    },
    fileSystems: async () => state.fileSystems,
    nics: async () => state.nics,
  };
  return { probe, state };
}

test('a sample carries load, memory, hottest sensor, watched disks and NICs', async () => {
  const { probe } = fakeProbe();
  const h = new HealthSampler({ probe, disks: [{ path: '/data', mustBeMountPoint: true }, { path: '/var/lib/callbox', mustBeMountPoint: false }] });
  assert.equal(h.latest(), null);
  const s = await h.sample();
  assert.equal(h.latest(), s);
  assert.equal(s.cpuLoadPercent, 13);
  assert.deepEqual(s.memory, { totalBytes: 4096e6, availableBytes: 1024e6 });
  assert.equal(s.temperatureC, 63);
  assert.equal(s.uptimeSeconds, 1234);
  assert.deepEqual(s.disks[0], { path: '/data', mount: '/data', device: '/dev/sdb1', fsType: 'ext4', state: 'mounted', sizeBytes: 10e9, freeBytes: 0.5e9, usedPercent: 95 });
  // A data directory on the root file system (dev machine) reports the root file system.
  assert.equal(s.disks[1]?.mount, '/');
  assert.equal(s.disks[1]?.state, 'mounted');
  assert.deepEqual(s.nics, [{ name: 'eth0', up: true, speedMbps: 1000, mac: '02:00:00:00:00:01', addresses: ['192.0.2.10'], internal: false }]);
});

test('unmounted and read-only data disks, link loss and a dead sensor show up as changes', async () => {
  const { probe, state } = fakeProbe();
  const h = new HealthSampler({ probe, disks: [{ path: '/data', mustBeMountPoint: true }, { path: '/rec', mustBeMountPoint: true }] });
  const changes: HealthChange[] = [];
  h.on('change', (c) => changes.push(c));
  await h.sample();
  assert.deepEqual(changes, [
    { kind: 'disk', path: '/data', from: null, to: 'mounted' },
    { kind: 'disk', path: '/rec', from: null, to: 'unmounted' },
    { kind: 'nic', name: 'eth0', from: null, to: true },
  ]);
  changes.length = 0;
  await h.sample();
  assert.deepEqual(changes, [], 'nothing changed, nothing reported');

  state.fileSystems = state.fileSystems.map((f) => (f.mount === '/data' ? { ...f, rw: false } : f));
  state.nics = [{ ...state.nics[0]!, operstate: 'down' }];
  state.failTemps = true;
  const s = await h.sample();
  assert.deepEqual(changes, [
    { kind: 'disk', path: '/data', from: 'mounted', to: 'failed' },
    { kind: 'nic', name: 'eth0', from: true, to: false },
  ]);
  assert.equal(s.temperatureC, null, 'a failing sensor read leaves the rest of the sample intact');
  assert.equal(s.cpuLoadPercent, 13);
});

test('start() samples at once and then on its interval; concurrent sample() calls share one run', async (t) => {
  const { probe } = fakeProbe();
  let reads = 0;
  const counting: HealthProbe = { ...probe, memory: async () => (reads++, probe.memory()) };
  const h = new HealthSampler({ probe: counting, intervalMs: 50 });
  t.after(() => h.stop());
  await Promise.all([h.sample(), h.sample(), h.sample()]);
  assert.equal(reads, 1);
  await h.start();
  const samples: Date[] = [];
  await new Promise<void>((resolve) => h.on('sample', (s) => samples.push(s.at) >= 2 && resolve()));
  assert.ok(reads >= 4);
});

test('the real systeminformation probe reads this machine', async () => {
  const h = new HealthSampler();
  const s = await h.sample();
  assert.ok(s.memory.totalBytes > 0 && s.memory.availableBytes > 0 && s.memory.availableBytes <= s.memory.totalBytes);
  assert.ok(s.cpuLoadPercent >= 0 && s.cpuLoadPercent <= 100);
  assert.equal(s.disks[0]?.path, '/');
  assert.equal(s.disks[0]?.state, 'mounted');
  assert.ok((s.disks[0]?.sizeBytes ?? 0) > 0);
  assert.ok(s.nics.some((n) => n.name === 'lo'));
});
