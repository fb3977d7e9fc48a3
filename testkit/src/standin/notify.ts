/**
 * sd_notify for a Node process. k3s's systemd unit is `Type=notify`; Node cannot send unix
 * datagrams, so `systemd-notify --ready` is run as a child: in systemd 252 it reports for its
 * parent pid (our main pid), which root may claim in SCM_CREDENTIALS.
 *
 * @see https://www.freedesktop.org/software/systemd/man/252/systemd-notify.html
 * @see https://github.com/k3s-io/k3s/blob/master/install.sh (k3s.service: Type=notify)
 */
import { spawnSync } from 'node:child_process';

/** Tells systemd the service is ready; a no-op outside a notify unit. */
export function notifyReady(env: NodeJS.ProcessEnv = process.env): void {
  if (!env['NOTIFY_SOCKET']) return;
  spawnSync('systemd-notify', ['--ready', `--status=${STATUS}`], { stdio: 'ignore' });
}

const STATUS = 'stand-in ready';
