import { Client } from 'rtpengine-client';
import type { Logger } from '../log.ts';

export type NgCommand = 'ping' | 'offer' | 'answer' | 'delete' | 'query' | 'list' | 'playMedia' | 'stopMedia' | 'blockMedia' | 'unblockMedia' | 'startRecording' | 'stopRecording' | 'playDTMF' | 'statistics';

export class NgError extends Error {
  readonly command: NgCommand;
  constructor(command: NgCommand, message: string) {
    super(`rtpengine ${command}: ${message}`);
    this.command = command;
  }
}

/**
 * The ng protocol as Callbox uses it. rtpengine-client resolves failures as `{result: 'error'}` by default and
 * has no timeout unless asked: here every command has one, and every non-ok result becomes an NgError.
 */
export class NgClient {
  readonly host: string;
  readonly port: number;
  readonly #client: Client;

  constructor(opts: { host: string; port: number; timeoutMs?: number; log?: Logger }) {
    this.host = opts.host;
    this.port = opts.port;
    this.#client = new Client({ localAddress: opts.host.includes(':') ? '::' : '0.0.0.0', timeout: opts.timeoutMs ?? 1500 });
    // A reply that comes after its command timed out (a busy rtpengine) is an 'error' event of the client; unheard,
    // it would end the process and every call with it. The command itself already failed with a timeout.
    this.#client.on('error', (err: Error) => opts.log?.warn({ err: err.message }, 'rtpengine reply that no command waits for'));
  }

  async command(name: NgCommand, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    let res: Record<string, unknown>;
    try {
      res = await this.#client[name](this.port, this.host, params);
    } catch (err) {
      throw new NgError(name, err instanceof Error ? err.message : String(err));
    }
    if (res['result'] === 'pong' || res['result'] === 'ok') return res;
    throw new NgError(name, String(res['error-reason'] ?? `unexpected result ${JSON.stringify(res['result'])}`));
  }

  /** True when rtpengine answered a ping in time. */
  async ping(): Promise<boolean> {
    try {
      await this.command('ping');
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.#client.close();
  }
}
