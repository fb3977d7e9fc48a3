/**
 * The one door through which a test may skip for want of something on the machine (the real
 * kubectl, test hosts, Chromium, the Electron binary). Outside CI a missing requirement skips
 * with its reason printed (`skipped: …`), so a developer's run stays useful. Under `CI=true`
 * it throws instead: CI has everything installed by `./scripts/dev.sh`, so a requirement it
 * lacks is a broken CI machine, and a suite that silently skipped would pass without testing
 * anything. Only what CI machines cannot have (the Electron binary, which cannot be
 * downloaded there) is declared `ciMaySkip`.
 */

export interface RequireOptions {
  /** Default `process.env`; only `CI` is read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the skip reason is printed; default `console.warn`. */
  readonly log?: (line: string) => void;
  /** The requirement may be missing in CI too (it still prints why it skips). */
  readonly ciMaySkip?: boolean;
}

/** A requirement CI must have was missing under `CI=true`. */
export class MissingRequirementError extends Error {
  constructor(reason: string) {
    super(
      `CI=true, so this test fails instead of skipping: ${reason}. ` +
        'Install what it needs (./scripts/dev.sh does), or run without CI=true to skip it.',
    );
    this.name = 'MissingRequirementError';
  }
}

/** `CI` set to anything but empty, `0` or `false` (CI services set `CI=true`). */
export function isCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env['CI']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Whether the test should skip: false when `available`; otherwise prints `skipped: <reason>`
 * and returns true — or, under `CI=true` (unless `ciMaySkip`), throws
 * {@link MissingRequirementError} so the suite fails.
 *
 * @example describe.skipIf(requireOrSkip('/usr/bin/kubectl is missing', hasKubectl))(…)
 */
export function requireOrSkip(
  reason: string,
  available: boolean,
  options: RequireOptions = {},
): boolean {
  if (available) return false;
  if (isCi(options.env) && options.ciMaySkip !== true) throw new MissingRequirementError(reason);
  (options.log ?? console.warn)(`skipped: ${reason}`);
  return true;
}
