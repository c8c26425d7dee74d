// rtpengine-client ships no types; only what our wrapper touches is declared here.
declare module 'rtpengine-client' {
  import type { EventEmitter } from 'node:events';
  export interface ClientOptions {
    localPort?: number;
    localAddress?: string;
    timeout?: number;
    rejectOnError?: boolean;
  }
  type Command = (port: number, host: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export class Client extends EventEmitter {
    constructor(opts: ClientOptions);
    ping: Command;
    offer: Command;
    answer: Command;
    delete: Command;
    query: Command;
    list: Command;
    playMedia: Command;
    stopMedia: Command;
    blockMedia: Command;
    unblockMedia: Command;
    startRecording: Command;
    stopRecording: Command;
    playDTMF: Command;
    statistics: Command;
    close(): void;
  }
}
