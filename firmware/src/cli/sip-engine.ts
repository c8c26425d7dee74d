import v8 from 'node:v8';
import { createLogger } from '../log.ts';
import { parseSipEngineArgs } from '../sip-engine/cli-args.ts';
import { startSipEngine } from '../sip-engine/main.ts';
import { SIP_ENGINE_V8_FLAGS } from '../sip-engine/node-options.ts';
import { untilSignal } from './signals.ts';

export async function sipEngineCommand(args: string[]): Promise<number> {
  // The supervisor hands the secret over by environment so that it does not show in `ps`.
  const secret = process.env['CALLBOX_DRACHTIO_SECRET'];
  const argv = secret && !args.includes('--secret') ? [...args, '--secret', secret] : args;
  for (const flag of SIP_ENGINE_V8_FLAGS) v8.setFlagsFromString(flag);
  const opts = await parseSipEngineArgs(argv);
  const log = createLogger('sip-engine');
  const engine = await startSipEngine(opts, log);
  await untilSignal();
  await engine.close();
  return 0;
}
