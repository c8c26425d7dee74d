// Makes the built-in prompt library at build time with Debian's espeak-ng and sox: one 8 kHz mono 16-bit WAV
// per prompt and language (what G.711 calls need, so rtpengine does not resample), plus music on hold.
// Only prompts whose text changed are spoken again (manifest.json keeps each file's text).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { espeakVoice, promptLanguages, promptTexts } from '../firmware/src/media/prompt-catalog.ts';

const outRoot = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'firmware', 'dist', 'prompts'));
for (const tool of ['espeak-ng', 'sox']) {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
  } catch {
    console.error(`gen-prompts: ${tool} is missing: install the Debian packages espeak-ng and sox`);
    process.exit(1);
  }
}

const manifestFile = path.join(outRoot, 'manifest.json');
const manifest: Record<string, string> = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>) : {};
const tmp = path.join(outRoot, '.tmp');
mkdirSync(tmp, { recursive: true });
let made = 0;

for (const lang of promptLanguages) {
  const dir = path.join(outRoot, lang);
  mkdirSync(dir, { recursive: true });
  for (const [id, text] of Object.entries(promptTexts(lang))) {
    const file = path.join(dir, `${id}.wav`);
    const key = `${lang}/${id}`;
    if (manifest[key] === text && existsSync(file)) continue;
    const raw = path.join(tmp, 'raw.wav');
    execFileSync('espeak-ng', ['-v', espeakVoice[lang], '-s', '150', '-w', raw, text]);
    // Written aside and renamed, so an interrupted build never leaves a truncated prompt in place.
    const part = path.join(tmp, 'part.wav');
    execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', part, 'norm', '-3']);
    renameSync(part, file);
    manifest[key] = text;
    made++;
  }
}

const moh = path.join(outRoot, 'moh', 'default.wav');
if (!existsSync(moh)) {
  mkdirSync(path.dirname(moh), { recursive: true });
  // A soft plucked I-vi-IV-V progression, 8 s, repeated to 32 s: rtpengine loops it with repeat-times.
  const chords = [['C3', 'E3', 'G3'], ['A2', 'C3', 'E3'], ['F2', 'A2', 'C3'], ['G2', 'B2', 'D3']];
  const parts = chords.map((notes, i) => {
    const f = path.join(tmp, `chord-${i}.wav`);
    execFileSync('sox', ['-n', '-r', '8000', '-c', '3', '-b', '16', f, 'synth', '2', ...notes.flatMap((n) => ['pl', n]), 'remix', '-', 'fade', '0', '2', '0.4']);
    return f;
  });
  const part = path.join(tmp, 'moh.wav');
  execFileSync('sox', [...parts, '-c', '1', part, 'norm', '-6', 'repeat', '3']);
  renameSync(part, moh);
  made++;
}

writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
rmSync(tmp, { recursive: true, force: true });
console.log(made ? `prompts: made ${made} file(s) in ${outRoot}` : `prompts: up to date in ${outRoot}`);
