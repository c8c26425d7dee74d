import { randomBytes } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { uploadedPromptsDir } from '../../media/prompt-library.ts';
import { deleteUploadedPrompt, importPrompt, listUploadedPrompts, PromptUploadError, uploadNameSchema } from '../../media/prompt-upload.ts';
import type { Api } from '../api.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { saveBinaryBody } from '../http/body.ts';

const MAX_UPLOAD = 50 * 1024 * 1024;

const promptView = z.object({ prompt: z.string(), bytes: z.number(), duration_s: z.number(), modified: z.string() });
const view = (p: { prompt: string; bytes: number; durationS: number; modified: string }) => ({ prompt: p.prompt, bytes: p.bytes, duration_s: p.durationS, modified: p.modified });

function nameOf(params: Record<string, string>): string {
  const parsed = uploadNameSchema.safeParse(params['name'] ?? '');
  if (!parsed.success) throw new ApiError(400, 'invalid_name', `name ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

/** The site's own prompts: uploaded WAV/MP3, converted for rtpengine, named `custom/NAME` in the site file. */
export function promptRoutes(api: Api, o: { dataDir: string }): void {
  const dir = uploadedPromptsDir(o.dataDir);
  api.add({
    method: 'get',
    path: '/prompts',
    summary: 'Uploaded prompts (use them in the site file as custom/NAME)',
    tag: 'prompts',
    access: 'callflow.read',
    response: z.array(promptView),
    handler: async () => (await listUploadedPrompts(dir)).map(view),
  });
  api.add({
    method: 'put',
    path: '/prompts/custom/:name',
    summary: 'Upload a WAV or MP3 (application/octet-stream) as prompt custom/NAME; converted to 8 kHz mono, replaces one of that name',
    tag: 'prompts',
    access: 'callflow.write',
    action: 'prompts.upload',
    response: promptView,
    handler: async (call) => {
      const name = nameOf(call.params);
      const spool = path.join(o.dataDir, 'prompts', 'upload');
      await mkdir(spool, { recursive: true });
      const file = path.join(spool, `upload-${randomBytes(6).toString('hex')}`);
      try {
        const bytes = await saveBinaryBody(call.ctx, file, MAX_UPLOAD);
        const stored = await importPrompt(file, dir, name);
        call.auditDetail = { bytes, prompt: stored.prompt, duration_s: stored.durationS };
        return view(stored);
      } catch (err) {
        if (err instanceof PromptUploadError) throw new ApiError(422, 'bad_audio', err.message);
        throw err;
      } finally {
        await unlink(file).catch(() => undefined);
      }
    },
  });
  api.add({
    method: 'delete',
    path: '/prompts/custom/:name',
    summary: 'Delete an uploaded prompt',
    tag: 'prompts',
    access: 'callflow.write',
    action: 'prompts.delete',
    handler: async (call) => {
      const name = nameOf(call.params);
      if (!(await deleteUploadedPrompt(dir, name))) throw notFound(`prompt custom/${name}`);
    },
  });
}
