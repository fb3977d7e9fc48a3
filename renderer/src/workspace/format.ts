/**
 * Display formatters of the cluster workspace. The contract's quantities are integers
 * (millicores, bytes); they become decimals only here, for reading.
 */
import { GIB, MIB } from '@nodeless/common';

const COUNT = new Intl.NumberFormat('en-US');

/** `12,345`. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** Up to 2 decimals, trailing zeros dropped: 1.5, 0.25, 2. */
function decimals(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Millicores as vCPU: 250 → `0.25 vCPU`, 1234 → `1.23 vCPU`, 16000 → `16 vCPU`. */
export function formatCpu(milli: number): string {
  return `${decimals(milli / 1000)} vCPU`;
}

/** Bytes as GiB from 1 GiB up (`1.5 GiB`), below that as whole MiB (`512 MiB`). */
export function formatMemory(bytes: number): string {
  if (Math.abs(bytes) >= GIB) return `${decimals(bytes / GIB)} GiB`;
  return `${Math.round(bytes / MIB)} MiB`;
}

/**
 * How long ago, as kubectl's AGE column writes it (`45s`, `5m30s`, `3h20m`, `20h`, `3d4h`,
 * `200d`, `2y30d`).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/duration/duration.go (HumanDuration)
 */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
}

/** Local wall-clock time `HH:MM` of a timestamp (ms), for "showing data from 14:05". */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** `1 pod`, `3 pods`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}

/**
 * A backend message as a sentence for a banner: first letter capitalised, a full stop at the
 * end (`no API server answered (…): ECONNREFUSED` → `No API server answered (…): ECONNREFUSED.`).
 * The words are the backend's (backend/src/clusters/problems.ts); only their case changes.
 */
export function asSentence(message: string): string {
  const t = message.trim();
  if (t === '') return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
