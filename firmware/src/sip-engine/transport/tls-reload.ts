import { readFileSync, statSync } from 'node:fs';
import tls from 'node:tls';

export interface TlsFiles {
  key: string;
  cert: string;
}

export interface TlsPair {
  key: Buffer;
  cert: Buffer;
}

/**
 * Re-reads a PEM key and certificate when either file changes, so a certificate uploaded in the console takes
 * effect on the next TLS connection without a restart. Polled (mtime and size, every `pollMs`) rather than
 * fs.watch: an upload that replaces the file by a rename leaves an inotify watch on the old inode.
 *
 * A new pair is used only if it loads as a pair (key matches certificate); otherwise `onError` hears why and the
 * old pair stays. The half-written state of an upload (new key, old certificate) is such a pair: it is skipped,
 * and the next poll after the second file lands applies both.
 */
export class TlsReloader {
  private files: TlsFiles;
  private apply: (pair: TlsPair) => void;
  private onError: (err: Error) => void;
  private seen: string;
  private timer: NodeJS.Timeout;

  constructor(files: TlsFiles, pollMs: number, apply: (pair: TlsPair) => void, onError: (err: Error) => void) {
    this.files = files;
    this.apply = apply;
    this.onError = onError;
    this.seen = this.stamp();
    this.timer = setInterval(() => this.check(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private stamp(): string {
    return [this.files.key, this.files.cert]
      .map((f) => {
        try {
          const st = statSync(f);
          return `${st.mtimeMs}/${st.size}/${st.ino}`;
        } catch {
          return 'missing';
        }
      })
      .join('|');
  }

  private check(): void {
    const now = this.stamp();
    if (now === this.seen) return;
    this.seen = now;
    let pair: TlsPair;
    try {
      pair = { key: readFileSync(this.files.key), cert: readFileSync(this.files.cert) };
      tls.createSecureContext(pair);
    } catch (err) {
      this.onError(new Error(`TLS key/certificate not reloaded, the previous pair stays in use: ${(err as Error).message}`, { cause: err }));
      return;
    }
    this.apply(pair);
  }
}
