/**
 * The meter's command line (the same in the image and on the test substrates):
 * `meter --namespace nodeless-system --lease-name nodeless-meter --identity <pod name>
 *  --sample-interval 15s --retention-days 35 --health-port 8080`.
 *
 * @see https://github.com/tj/commander.js#readme
 */
import { Command, InvalidArgumentError } from 'commander';
import { durationMs, LEDGER_NAMESPACE, METER_LEASE_NAME } from '@nodeless/cluster-runtime';

export interface MeterOptions {
  namespace: string;
  leaseName: string;
  identity: string;
  sampleIntervalMs: number;
  retentionDays: number;
  /** 0: no health server. */
  healthPort: number;
}

const duration = (text: string): number => {
  const ms = durationMs(text);
  if (ms === undefined || ms < 1000)
    throw new InvalidArgumentError('a duration of at least 1s, e.g. 15s');
  return ms;
};

const integer =
  (min: number, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max)
      throw new InvalidArgumentError(`an integer from ${min} to ${max}`);
    return n;
  };

/** Parses argv (without node and the script); commander prints usage and exits on errors. */
export function parseMeterFlags(argv: readonly string[], exitOverride = false): MeterOptions {
  const program = new Command('meter')
    .description('Nodeless meter: records every pod’s life into the ledger (issue 15).')
    .option('--namespace <name>', 'namespace of the ledger and the Lease', LEDGER_NAMESPACE)
    .option('--lease-name <name>', 'Lease of the leader election', METER_LEASE_NAME)
    .requiredOption('--identity <name>', 'this replica’s name in the Lease (the pod name)')
    .option('--sample-interval <duration>', 'PodMetrics sampling period', duration, 15_000)
    .option(
      '--retention-days <days>',
      'acknowledged chunks older than this are compacted',
      integer(1, 3650),
      35,
    )
    .option('--health-port <port>', '/healthz port; 0 = none', integer(0, 65535), 8080)
    .allowExcessArguments(false);
  if (exitOverride) program.exitOverride();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{
    namespace: string;
    leaseName: string;
    identity: string;
    sampleInterval: number;
    retentionDays: number;
    healthPort: number;
  }>();
  return {
    namespace: o.namespace,
    leaseName: o.leaseName,
    identity: o.identity,
    sampleIntervalMs: o.sampleInterval,
    retentionDays: o.retentionDays,
    healthPort: o.healthPort,
  };
}
