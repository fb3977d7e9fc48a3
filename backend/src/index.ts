/**
 * Backend entry for the shells: `startBackend` (Electron and web mode), the `SecretBox`
 * interface Electron implements with safeStorage, and the per-user data dir.
 */
export { startBackend, DATABASE_FILE, LOG_FILE } from './backend.ts';
export type { BackendOptions, RunningBackend } from './backend.ts';
export type { SecretBox } from './secrets/secret-box.ts';
export type { Logger, LogLevel, LogFields } from './log/logger.ts';
export { defaultDataDir } from './paths.ts';
export { meterImageArchivePath } from './meter-archive.ts';
export type { DataDirEnv } from './paths.ts';
