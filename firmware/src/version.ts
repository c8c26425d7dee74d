import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

declare const CALLBOX_BUILD_INFO: { version: string; commit: string } | undefined;

/** Version and git commit: stamped in by the bundler for builds, read from the checkout when run from source. */
export function buildInfo(): { version: string; commit: string } {
  if (typeof CALLBOX_BUILD_INFO !== 'undefined') return CALLBOX_BUILD_INFO;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: new URL('.', import.meta.url),
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    // Not a git checkout (a source tarball): the version alone identifies it.
  }
  return { version: pkg.version, commit };
}
