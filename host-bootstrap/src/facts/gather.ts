/**
 * Gathering facts on a host: the facts script in one privileged round trip, plus a tiny
 * unprivileged `date` for the clock (kept separate so the script's run time does not blur
 * the skew; the round trip is halved to correct for latency, NTP-style).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5905#section-8 — offset from a round trip
 */
import type { SshConnection } from '../connect/connection.ts';
import { SshError } from '../errors/ssh-error.ts';
import type { PrivilegedRunner } from '../privilege/run.ts';
import { parseFacts } from './parse.ts';
import { FACTS_SCRIPT } from './script.ts';
import type { ClockSkew, HostFacts } from './types.ts';

/** Runs the facts script as root and parses it. */
export async function gatherFacts(
  runner: PrivilegedRunner,
  timeoutMs?: number,
): Promise<HostFacts> {
  const result = await runner.run(FACTS_SCRIPT, timeoutMs === undefined ? {} : { timeoutMs });
  if (!result.stdout.includes('@@nodeless:end@@')) {
    throw new SshError('command', 'The facts script stopped before its end.', {
      remedy:
        'Check that /bin/sh works on the machine; the output was: ' +
        result.stderr.trim().slice(0, 200),
    });
  }
  return parseFacts(result.stdout);
}

/** Pure: skew from a remote `date +%s.%N` and the local send/receive times (epoch ms). */
export function computeSkew(
  remoteSeconds: string,
  sentAtMs: number,
  receivedAtMs: number,
): ClockSkew | undefined {
  const remote = Number(remoteSeconds.trim()) * 1000;
  if (!Number.isFinite(remote) || remote <= 0) return undefined;
  const mid = (sentAtMs + receivedAtMs) / 2;
  return {
    skewMs: Math.round(remote - mid),
    uncertaintyMs: Math.round((receivedAtMs - sentAtMs) / 2),
  };
}

/** Measures the host clock against `now()` (the desktop clock). */
export async function measureClockSkew(
  conn: SshConnection,
  now: () => number,
): Promise<ClockSkew | undefined> {
  const sent = now();
  const r = await conn.exec('date +%s.%N');
  const received = now();
  // busybox date lacks %N and prints it literally: fall back to whole seconds.
  return computeSkew(r.stdout.replace(/\.N$|\.%N$/, '').trim(), sent, received);
}
