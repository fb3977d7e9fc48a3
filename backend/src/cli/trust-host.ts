/**
 * Trusting one host of a cluster file from the CLI (shared by `nodeless trust` and the
 * interactive prompt of `nodeless check`): re-probe, compare, store in the shared table.
 */
import { isSshError, type HostSpec, type TrustSources } from '@nodeless/host-bootstrap';
import { ConflictError } from '../onboarding/errors.ts';
import { trustLiveHostKey } from '../onboarding/trust.ts';
import { connectLimits } from '../onboarding/engine.ts';
import type { CliEngine } from './deps.ts';
import { writeLine, type CliIo } from './io.ts';

/** Returns true when the key is trusted afterwards; explains any refusal on stderr. */
export async function trustHost(
  spec: HostSpec,
  fingerprint: string,
  replace: boolean,
  ctx: { trust: TrustSources; engine: CliEngine; io: CliIo },
): Promise<boolean> {
  try {
    const outcome = await trustLiveHostKey(
      { target: spec.target, fingerprint, replace },
      {
        store: ctx.trust.store,
        connect: ctx.engine.connectDeps(),
        options: {
          trust: ctx.trust,
          ...(spec.secrets ? { secrets: spec.secrets } : {}),
          ...connectLimits(ctx.engine.checkOptions),
        },
        now: ctx.io.now,
      },
    );
    writeLine(
      ctx.io.stderr,
      outcome === 'stored'
        ? `Trusted ${fingerprint} for host ${spec.name}.`
        : `${fingerprint} is already trusted for host ${spec.name}.`,
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictError) writeLine(ctx.io.stderr, error.message);
    else if (isSshError(error)) writeLine(ctx.io.stderr, `${error.message}\n  → ${error.remedy}`);
    else throw error;
    return false;
  }
}

/** The command that trusts a host's key, for messages. */
export function trustCommand(
  file: string,
  host: string,
  fingerprint: string,
  replace: boolean,
): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  return `nodeless trust -f ${quote(file)} --host ${quote(host)} --fingerprint ${fingerprint}${replace ? ' --replace' : ''}`;
}
