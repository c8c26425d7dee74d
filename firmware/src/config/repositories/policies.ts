import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import {
  featureCodesSchema,
  qosSchema,
  recordingSchema,
  sbcSchema,
  type FeatureCodes,
  type QosPolicy,
  type RecordingPolicy,
  type SbcPolicy,
} from '../site-schema.ts';
import { readJson } from './json-column.ts';

/** Appliance-wide policies: one validated JSON document each; absent means every default. */
const policies = { recording: recordingSchema, sbc: sbcSchema, qos: qosSchema, feature_codes: featureCodesSchema } as const;
type PolicyName = keyof typeof policies;

function get<N extends PolicyName>(db: Database, name: N): z.output<(typeof policies)[N]> {
  const row = db.prepare('SELECT value FROM policies WHERE name = ?').get(name) as { value: string } | undefined;
  return readJson(policies[name], row?.value ?? '{}', `${name} policy`) as z.output<(typeof policies)[N]>;
}

function set<N extends PolicyName>(db: Database, name: N, value: z.output<(typeof policies)[N]>): void {
  db.prepare('INSERT INTO policies (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, JSON.stringify(value));
}

export const getRecordingPolicy = (db: Database): RecordingPolicy => get(db, 'recording');
export const setRecordingPolicy = (db: Database, v: RecordingPolicy): void => set(db, 'recording', v);
export const getSbcPolicy = (db: Database): SbcPolicy => get(db, 'sbc');
export const setSbcPolicy = (db: Database, v: SbcPolicy): void => set(db, 'sbc', v);
export const getQosPolicy = (db: Database): QosPolicy => get(db, 'qos');
export const setQosPolicy = (db: Database, v: QosPolicy): void => set(db, 'qos', v);
export const getFeatureCodes = (db: Database): FeatureCodes => get(db, 'feature_codes');
export const setFeatureCodes = (db: Database, v: FeatureCodes): void => set(db, 'feature_codes', v);
