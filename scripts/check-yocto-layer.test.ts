import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spawnProcess } from '../firmware/test/helpers/process.ts';
import { tempDir } from '../firmware/test/helpers/tmp.ts';

const script = fileURLToPath(new URL('./check-yocto-layer.sh', import.meta.url));
const layer = fileURLToPath(new URL('../yocto-layer/meta-callbox', import.meta.url));

async function check(t: Parameters<typeof tempDir>[0], dir: string): Promise<{ code: number | null; out: string }> {
  const proc = spawnProcess(t, 'bash', [script, dir]);
  const { code } = await proc.exited;
  return { code, out: proc.output() };
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `fixture edit did not apply to ${file}`);
  writeFileSync(file, next);
}

test('the shipped layer passes the check', async (t) => {
  const { code, out } = await check(t, layer);
  assert.equal(code, 0, out);
  assert.match(out, /check-yocto-layer: .* is consistent/);
  assert.match(out, /ok {3}conf\/layer\.conf \(collection callbox/);
  assert.match(out, /(ok {3}systemd-analyze verify: \d+ units|note systemd-analyze not installed)/);
  assert.doesNotMatch(out, /^FAIL/m);
});

test('a broken layer fails with one line per problem, naming the file', async (t) => {
  const dir = path.join(tempDir(t), 'meta-callbox');
  cpSync(layer, dir, { recursive: true });
  const at = (p: string) => path.join(dir, p);
  rmSync(at('recipes-callbox/callbox/files/callbox-tmpfiles.conf'));
  edit(at('conf/layer.conf'), /LAYERSERIES_COMPAT_callbox = "scarthgap wrynose"/, 'LAYERSERIES_COMPAT_callbox = "scarthgap"');
  edit(at('recipes-connectivity/rtpengine/rtpengine_26.2.1.1.bb'), /SRCREV = "[0-9a-f]{40}"/, 'SRCREV = "mr26.2.1.1"');
  edit(at('recipes-core/images/callbox-image.bb'), 'IMAGE_LINGUAS = ""', 'IMAGE_LINGUAS = ""\nIMAGE_INSTALL_append = " gcc"\nIMAGE_INSTALL += "gcc"');
  edit(at('recipes-core/rauc/files/system.conf'), 'by-partlabel/rootfs_b', 'by-partlabel/rootfs_c');
  edit(at('recipes-callbox/callbox/files/callbox.service'), 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_ADMIN', 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_ADMIN CAP_SYS_ADMIN');
  edit(at('recipes-callbox/callbox/files/callbox-sip.service'), 'ProtectSystem=strict', 'ProtectSystem=stric');
  edit(at('recipes-core/bundles/callbox-bundle.bb'), /^LICENSE = "MIT"\n/m, '');
  writeFileSync(at('recipes-callbox/callbox/files/first-boot.sh'), '#!/bin/sh\nif then fi\n');

  const { code, out } = await check(t, dir);
  assert.equal(code, 1, out);
  const expected = [
    /FAIL recipes-callbox\/callbox\/callbox_0\.1\.0\.bb: SRC_URI file:\/\/callbox-tmpfiles\.conf: no such file/,
    /FAIL conf\/layer\.conf: LAYERSERIES_COMPAT_callbox lacks wrynose/,
    /FAIL recipes-connectivity\/rtpengine\/rtpengine_26\.2\.1\.1\.bb: git:\/\/\S+ needs SRCREV pinned to a 40-hex commit \(got 'mr26\.2\.1\.1'\)/,
    /FAIL recipes-core\/images\/callbox-image\.bb: old override syntax/,
    /FAIL recipes-core\/images\/callbox-image\.bb: IMAGE_INSTALL has gcc/,
    /FAIL recipes-core\/rauc\/files\/system\.conf: \[slot\.rootfs\.1\] device \/dev\/disk\/by-partlabel\/rootfs_c has no partition '--part-name rootfs_c'/,
    /FAIL recipes-callbox\/callbox\/files\/callbox\.service: CapabilityBoundingSet must be CAP_NET_BIND_SERVICE CAP_NET_ADMIN only/,
    /FAIL recipes-callbox\/callbox\/files\/callbox-sip\.service: ProtectSystem=strict is required/,
    /FAIL recipes-core\/bundles\/callbox-bundle\.bb: LICENSE is not set/,
    /FAIL (shellcheck|bash -n) recipes-callbox\/callbox\/files\/first-boot\.sh/,
  ];
  for (const re of expected) assert.match(out, re);
  assert.match(out, /check-yocto-layer: \d+ problem\(s\) in /);
});

test('a missing layer is one clear line', async (t) => {
  const { code, out } = await check(t, path.join(tempDir(t), 'nothing-here'));
  assert.equal(code, 1);
  assert.match(out, /FAIL no layer at .*nothing-here/);
});
