/** True when `target` is on the backend's own origin (scheme, host and port all equal). */
export function isSameOrigin(target: string, origin: string): boolean {
  try {
    return new URL(target).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
