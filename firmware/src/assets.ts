import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files that travel with the firmware live (example site, built web UI, MIB, prompts).
 * This module sits two levels below the repository root both as source (firmware/src/) and when bundled
 * (firmware/dist/), so one relative path serves both; the image sets CALLBOX_ASSETS_DIR instead.
 */
export function assetsRoot(): string {
  return process.env['CALLBOX_ASSETS_DIR'] ?? path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
}

export const assetPath = {
  exampleSite: () => path.join(assetsRoot(), 'firmware', 'examples', 'site.yaml'),
  webUi: () => path.join(assetsRoot(), 'web-ui', 'dist'),
};
