import { z } from 'zod';

/**
 * A payload path: relative, POSIX, no `.`/`..`/empty segments. The manifest is signed, but the install writes
 * these paths under a slot directory, so a path that could leave it is refused even from a trusted signer.
 */
const payloadPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..') && !/[\0\\]/.test(p), {
    message: 'must be a relative path without ".", ".." or empty segments',
  });

const fileEntry = z.strictObject({
  path: payloadPath,
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  executable: z.boolean(),
});

export const boardId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a board id such as rpi-cm4-reference');
export const cpuArch = z.enum(['x64', 'arm64']);

export const manifestSchema = z
  .strictObject({
    /** `firmware`: the one-file executable and its share/ assets; `rauc`: one RAUC bundle for the inactive root slot. */
    kind: z.enum(['firmware', 'rauc']),
    version: z.string().min(1).max(100),
    commit: z.string().min(1).max(64),
    created: z.iso.datetime(),
    boards: z.array(boardId).min(1),
    arch: cpuArch,
    /** Fingerprint of the signing key's public half, so a refusal can say which key signed the bundle. */
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    files: z.array(fileEntry).min(1),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.files.forEach((f, i) => {
      if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: ['files', i, 'path'], message: `duplicate path ${f.path}` });
      seen.add(f.path);
    });
    // A file that is also another file's folder cannot be written.
    m.files.forEach((f, i) => {
      const parts = f.path.split('/');
      for (let n = 1; n < parts.length; n++) {
        const dir = parts.slice(0, n).join('/');
        if (seen.has(dir)) ctx.addIssue({ code: 'custom', path: ['files', i, 'path'], message: `${dir} is both a file and a folder` });
      }
    });
    if (m.kind === 'rauc' && (m.files.length !== 1 || !m.files[0]?.path.endsWith('.raucb') || m.files[0].path.includes('/'))) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: 'a rauc bundle holds exactly one top-level *.raucb file' });
    }
    if (m.kind === 'firmware' && !seen.has('bin/callbox')) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: 'a firmware bundle holds bin/callbox' });
    }
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = Manifest['files'][number];

/** Every problem with its path, on one line. */
export function formatManifestIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(manifest)'}: ${i.message}`).join('; ');
}
