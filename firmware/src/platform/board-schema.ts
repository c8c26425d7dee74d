import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { boardConfigSchema } from './board-config.ts';

/** Where the generated JSON Schema lives, next to the board files it describes. */
export const boardSchemaPath = fileURLToPath(new URL('../../../board-configs/board.schema.json', import.meta.url));

/** The JSON Schema of a board file, generated from the zod schema so that the two cannot drift apart. */
export function boardJsonSchemaText(): string {
  const schema = {
    ...z.toJSONSchema(boardConfigSchema, { io: 'input' }),
    $id: 'https://callbox.invalid/board-configs/board.schema.json',
    title: 'Callbox board description',
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

// Regenerate with: $NODE firmware/src/platform/board-schema.ts
if (import.meta.main) {
  writeFileSync(boardSchemaPath, boardJsonSchemaText());
  console.error(`wrote ${boardSchemaPath}`);
}
