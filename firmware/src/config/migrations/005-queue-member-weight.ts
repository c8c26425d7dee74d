import type { Migration } from './types.ts';

/** weighted-random distributes by each member's weight; members of older files get the neutral weight 1. */
export const migration: Migration = {
  version: 5,
  description: 'queue member weight',
  up(db) {
    db.exec('ALTER TABLE queue_members ADD COLUMN weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 100)');
  },
};
