import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { boardJsonSchemaText, boardSchemaPath } from '../../src/platform/board-schema.ts';
import { BoardConfigError, detectBoard, loadBoardConfigs } from '../../src/platform/board.ts';
import { builtinBoards } from '../../src/platform/builtin-boards.ts';
import { tempDir } from '../helpers/tmp.ts';

const boardDir = fileURLToPath(new URL('../../../board-configs/', import.meta.url));

/** A fake / with the identity files a board's kernel would expose. */
function fixtureRoot(t: Parameters<typeof tempDir>[0], files: Record<string, string>): string {
  const root = tempDir(t);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

test('every shipped board file is valid and the built-in copies are the same boards', () => {
  const fromDisk = loadBoardConfigs(boardDir);
  assert.deepEqual(fromDisk.map((b) => b.id).sort(), ['generic-server', 'rk3568-1u', 'rpi-cm4-reference', 'simulated']);
  assert.deepEqual(
    [...builtinBoards()].sort((a, b) => a.id.localeCompare(b.id)),
    fromDisk,
  );
});

test('the committed JSON Schema is the one generated from the zod schema', () => {
  assert.equal(
    readFileSync(boardSchemaPath, 'utf8'),
    boardJsonSchemaText(),
    'board-configs/board.schema.json is stale: run $NODE firmware/src/platform/board-schema.ts',
  );
});

test('appliance boards have the whole front panel and a watchdog', () => {
  for (const board of builtinBoards().filter((b) => b.kind === 'appliance')) {
    assert.deepEqual(Object.keys(board.leds).sort(), ['alarm', 'power', 'status', 'trunks'], board.id);
    assert.notEqual(board.resetButton, null, board.id);
    assert.match(board.watchdog?.device ?? '', /^\/dev\/watchdog/, board.id);
    assert.deepEqual([...new Set(board.nics.map((n) => n.role))].sort(), ['lan-phones', 'management', 'wan-trunks'], board.id);
  }
});

test('invalid board files are refused with the file and the path of each error', (t) => {
  const dir = tempDir(t);
  cpSync(path.join(boardDir, 'simulated.json'), path.join(dir, 'simulated.json'));
  const bad = JSON.parse(readFileSync(path.join(boardDir, 'rk3568-1u.json'), 'utf8')) as Record<string, unknown>;
  (bad['leds'] as Record<string, unknown>)['status'] = { chip: 'gpio3', offset: -1, activeLow: 'yes' };
  bad['thermal'] = [{ name: 'soc', zoneType: 'soc-thermal', warnC: 99, criticalC: 90, required: true }];
  bad['match'] = { deviceTreeModel: ['(unclosed'] };
  writeFileSync(path.join(dir, 'rk3568-1u.json'), JSON.stringify(bad));
  writeFileSync(path.join(dir, 'broken.json'), '{ "id": ');
  writeFileSync(path.join(dir, 'renamed.json'), readFileSync(path.join(boardDir, 'simulated.json')));

  const err = (() => {
    try {
      loadBoardConfigs(dir);
    } catch (e) {
      return e as Error;
    }
    assert.fail('invalid configs were accepted');
  })();
  assert.ok(err instanceof BoardConfigError);
  assert.match(err.message, /rk3568-1u\.json: .*leds\.status\.offset: /);
  assert.match(err.message, /leds\.status\.activeLow: /);
  assert.match(err.message, /thermal\.0\.warnC: warnC must be below criticalC/);
  assert.match(err.message, /match\.deviceTreeModel\.0: must be a valid regular expression/);
  assert.match(err.message, /broken\.json: not valid JSON/);
  assert.match(err.message, /renamed\.json: id "simulated" must match the file name/);
  assert.doesNotMatch(err.message, /[/\\]simulated\.json/);
});

test('an empty or missing folder is a clear error', (t) => {
  assert.throws(() => loadBoardConfigs(tempDir(t)), /no board configs \(\*\.json\) in /);
  assert.throws(() => loadBoardConfigs('/nonexistent/boards'), /cannot read board configs in \/nonexistent\/boards/);
});

const noProfile = { env: {} };

test('a Compute Module 4 is the reference unit (model string is NUL-terminated)', (t) => {
  const root = fixtureRoot(t, { 'proc/device-tree/model': 'Raspberry Pi Compute Module 4 Rev 1.1\0' });
  const d = detectBoard({ root, ...noProfile });
  assert.equal(d.board.id, 'rpi-cm4-reference');
  assert.equal(d.how, 'matched');
  assert.equal(d.identity.deviceTreeModel, 'Raspberry Pi Compute Module 4 Rev 1.1');
});

test('a Compute Module 5 is the reference unit too', (t) => {
  const root = fixtureRoot(t, { 'proc/device-tree/model': 'Raspberry Pi Compute Module 5 Rev 1.0\0' });
  assert.equal(detectBoard({ root, ...noProfile }).board.id, 'rpi-cm4-reference');
});

test('a plain Raspberry Pi 4 is not the reference unit', (t) => {
  const root = fixtureRoot(t, { 'proc/device-tree/model': 'Raspberry Pi 4 Model B Rev 1.4\0' });
  const d = detectBoard({ root, ...noProfile });
  assert.equal(d.board.id, 'simulated');
  assert.match(d.reason, /Raspberry Pi 4 Model B Rev 1\.4" matches no board file/);
});

test('an RK3568 box is the 1U board', (t) => {
  for (const model of ['Callbox RK3568 1U v2\0', 'Rockchip RK3568 EVB1 DDR4 V10 Board\0']) {
    const root = fixtureRoot(t, { 'proc/device-tree/model': model });
    assert.equal(detectBoard({ root, ...noProfile }).board.id, 'rk3568-1u', model);
  }
});

test('an unknown server is generic-server in the appliance profile and simulated in development', (t) => {
  const root = fixtureRoot(t, {
    'sys/class/dmi/id/sys_vendor': 'Supermicro\n',
    'sys/class/dmi/id/product_name': 'SYS-5019C-M\n',
    'sys/class/dmi/id/chassis_type': '23\n',
  });
  const appliance = detectBoard({ root, env: { CALLBOX_PROFILE: 'appliance' } });
  assert.equal(appliance.board.id, 'generic-server');
  assert.equal(appliance.how, 'fallback');
  assert.deepEqual(appliance.identity.dmi, { sysVendor: 'Supermicro', productName: 'SYS-5019C-M', chassisType: 23 });
  assert.equal(detectBoard({ root, env: { CALLBOX_PROFILE: 'dev' } }).board.id, 'simulated');
});

test('a container with neither device tree nor DMI is simulated, with the reason', (t) => {
  const d = detectBoard({ root: tempDir(t), env: {} });
  assert.equal(d.board.id, 'simulated');
  assert.match(d.reason, /not a board: no device-tree model and no DMI data/);
});

test('CALLBOX_BOARD forces a board, also over a matching one, and unknown names are refused', (t) => {
  const root = fixtureRoot(t, { 'proc/device-tree/model': 'Raspberry Pi Compute Module 4 Rev 1.1\0' });
  const d = detectBoard({ root, env: { CALLBOX_BOARD: 'simulated' } });
  assert.equal(d.board.id, 'simulated');
  assert.equal(d.how, 'forced');
  assert.throws(() => detectBoard({ root, env: { CALLBOX_BOARD: 'rpi5' } }), /unknown board "rpi5"; known boards: rpi-cm4-reference, rk3568-1u, generic-server, simulated/);
});
