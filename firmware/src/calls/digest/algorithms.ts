import type { ExtensionConfig } from '../../config/repositories/extensions.ts';
import type { DigestAlgorithm } from './verify.ts';

/**
 * MD5 unless the box or the extension says otherwise: several SIP stacks in the field (libre in Debian's
 * baresip 1.0, older desk phone firmware) give up on the whole 401 when one challenge names an algorithm they
 * do not know, so offering SHA-256 to everyone would lock those phones out.
 */
export const DEFAULT_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5'];

/** What to offer a user: the extension's own list, else the box default (also for unknown users, so a 401 does not tell which extensions exist). */
export function digestAlgorithmsFor(ext: ExtensionConfig | undefined, fallback: readonly DigestAlgorithm[]): readonly DigestAlgorithm[] {
  return ext?.digest_algorithms ?? fallback;
}
