import generic from '../../../board-configs/generic-server.json' with { type: 'json' };
import rk3568 from '../../../board-configs/rk3568-1u.json' with { type: 'json' };
import rpi from '../../../board-configs/rpi-cm4-reference.json' with { type: 'json' };
import simulated from '../../../board-configs/simulated.json' with { type: 'json' };
import { parseBoardConfig, type BoardConfig } from './board-config.ts';

// Imported rather than read from disk so that the one-file firmware carries them (the bundler inlines JSON).
const sources: Record<string, unknown> = {
  'rpi-cm4-reference.json': rpi,
  'rk3568-1u.json': rk3568,
  'generic-server.json': generic,
  'simulated.json': simulated,
};

let cached: BoardConfig[] | undefined;

/** The boards shipped with the firmware, validated on first use. Specific boards first, fallbacks last. */
export function builtinBoards(): BoardConfig[] {
  cached ??= Object.entries(sources).map(([file, json]) => parseBoardConfig(json, `board-configs/${file}`));
  return cached;
}
