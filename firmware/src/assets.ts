import path from 'node:path';
import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';

/**
 * Where the files that travel with the firmware live (example site, built web UI, MIB, prompts).
 * From source (firmware/src/) and from the bundle (firmware/dist/) this module sits two levels below the
 * repository root, so one relative path serves both. The one-file firmware finds them in ../share/callbox beside
 * the executable (the image's /usr/bin and /usr/share). CALLBOX_ASSETS_DIR overrides all of these.
 */
export function assetsRoot(): string {
  const override = process.env['CALLBOX_ASSETS_DIR'];
  if (override) return path.resolve(override);
  if (isSea()) return path.resolve(path.dirname(process.execPath), '..', 'share', 'callbox');
  return path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
}

export const assetPath = {
  exampleSite: () => path.join(assetsRoot(), 'firmware', 'examples', 'site.yaml'),
  webUi: () => path.join(assetsRoot(), 'web-ui', 'dist'),
  prompts: () => path.join(assetsRoot(), 'firmware', 'dist', 'prompts'),
};
