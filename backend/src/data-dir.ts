/**
 * Preparing the data directory: it holds the database, the web-mode key file and logs, so it
 * must be owner-only (0700). A directory we create is made 0700; an existing one is tightened
 * when it is ours — but never a shared sticky directory such as `/tmp`, which a user could
 * pass by mistake and which other users rely on.
 *
 * @see https://specifications.freedesktop.org/basedir-spec/latest/ — "$XDG_DATA_HOME … 0700"
 */
import nodeFs from 'node:fs';

/** The fs calls used (injectable for tests). */
export type DataDirFs = Pick<typeof nodeFs, 'mkdirSync' | 'statSync' | 'chmodSync'>;

const STICKY = 0o1000;

/** The database file inside the data dir (the app and the `nodeless` CLI share it). */
export const DATABASE_FILE = 'nodeless.db';

/**
 * Creates `dir` (0700) or tightens it to 0700 when it belongs to this user. Returns what was
 * done, for the log.
 */
export function prepareDataDir(
  dir: string,
  fs: DataDirFs = nodeFs,
  uid: number | undefined = process.getuid?.(),
): 'created' | 'tightened' | 'kept' {
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined;
  const stat = fs.statSync(dir);
  const ours = created || uid === undefined || stat.uid === uid;
  if (!ours || (stat.mode & STICKY) !== 0) return 'kept';
  if ((stat.mode & 0o777) === 0o700) return created ? 'created' : 'kept';
  // mkdir's mode is filtered by the umask; chmod makes it exact.
  fs.chmodSync(dir, 0o700);
  return created ? 'created' : 'tightened';
}
