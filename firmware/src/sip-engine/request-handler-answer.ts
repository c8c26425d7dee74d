import { z } from 'zod';

/** What an HTTP request handler (outbound connection mode) may answer: route to a URI, reject, or redirect. */
export const answerSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('route'), data: z.object({ uri: z.string().min(1) }) }),
  z.object({ action: z.literal('reject'), data: z.object({ status: z.number().int().min(300).max(699), reason: z.string().optional() }) }),
  z.object({ action: z.literal('redirect'), data: z.object({ contact: z.union([z.string(), z.array(z.string()).min(1)]) }) }),
]);
