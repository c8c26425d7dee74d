import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { UpdateError } from './errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One install at a time (the CLI and the web console may both try). The lock file names its owner's PID, so a lock
 * left by a killed install is taken over instead of blocking updates until someone deletes it by hand. It is
 * created with its content in one step (link of a finished file), so no one ever reads an empty lock.
 */
export async function withInstallLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const mine = `${file}.${process.pid}`;
  await writeFile(mine, String(process.pid));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(mine, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UpdateError('busy', 'another update is being installed; nothing was changed');
          throw err;
        }
        const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
          throw new UpdateError('busy', `another update is being installed (process ${owner}); nothing was changed`);
        }
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
