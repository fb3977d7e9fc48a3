/** All migrations, in order. Append new ones; never edit or reorder a released one. */
import type { Migration } from '../migrate.ts';
import { migration001 } from './001_inventory.ts';

export const migrations: readonly Migration[] = [migration001];
