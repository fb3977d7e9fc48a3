/**
 * CSV downloads of the Usage tables: the bill tables through `usage.csv` (the CLI's exact format,
 * so a file from the screen and one from `nodeless usage --csv` are the same), saved as a file
 * in the browser (no server round trip for the bytes) under a safe name.
 */
import type { UsageTableInput } from '@nodeless/backend/api';
import type { UsageApi } from '../api/usage-api.ts';
import { saveText } from '../logs/log-download.ts';
import { downloadName } from './usage-format.ts';

/** Fetches the table's CSV and saves it; resolves with the file name used. */
export async function downloadTableCsv(
  api: UsageApi,
  input: UsageTableInput,
  fallbackParts: readonly (string | undefined)[],
): Promise<string> {
  const csv = await api.csv(input);
  const name = downloadName(csv.filename, fallbackParts);
  saveText(csv.text, name);
  return name;
}
