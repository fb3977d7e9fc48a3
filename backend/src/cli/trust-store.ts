/**
 * The CLI's access to trusted host keys: the same SQLite table as the app (in the same data
 * directory by default), so a key trusted in one is trusted in the other, plus the user's
 * ~/.ssh/known_hosts. Only the database is opened: the CLI never needs the app's secrets.
 */
import path from 'node:path';
import { loadUserKnownHosts, type TrustSources } from '@nodeless/host-bootstrap';
import { DATABASE_FILE, prepareDataDir } from '../data-dir.ts';
import { openDatabase } from '../store/database.ts';
import { knownHostKeysTable } from '../store/known-host-keys.ts';

export interface CliTrust {
  readonly trust: TrustSources;
  close(): void;
}

export async function openCliTrust(dataDir: string, homeDir: string): Promise<CliTrust> {
  const dir = path.resolve(dataDir);
  prepareDataDir(dir);
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  try {
    const knownHosts = await loadUserKnownHosts(homeDir);
    return {
      trust: { store: knownHostKeysTable(db), knownHosts },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
