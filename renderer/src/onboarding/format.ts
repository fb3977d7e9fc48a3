/** Small display formatters of the onboarding screens. */

/** Bytes as people read sizes of machines: "7.8 GiB", "512 MiB". */
export function formatBytes(bytes: number): string {
  const gib = bytes / 2 ** 30;
  if (gib >= 100) return `${Math.round(gib)} GiB`;
  if (gib >= 1) return `${gib.toFixed(1)} GiB`;
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** "12 of 20" progress, as a percentage for a label. */
export function percent(current: number, max: number): number {
  return max <= 0 ? 0 : Math.round((current / max) * 100);
}
