/** All migrations, in order. Append new ones; never edit or reorder a released one. */
import type { Migration } from '../migrate.ts';
import { migration001 } from './001_inventory.ts';
import { migration002 } from './002_host_checks.ts';
import { migration003 } from './003_bootstrap.ts';
import { migration004 } from './004_run_owners.ts';
import { migration005 } from './005_orphan_secrets.ts';
import { migration006 } from './006_cluster_imports.ts';
import { migration007 } from './007_usage.ts';
import { migration008 } from './008_usage_records_by_hour.ts';

export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];
