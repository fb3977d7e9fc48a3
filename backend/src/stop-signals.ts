/**
 * How web mode stops on SIGINT/SIGTERM: close cleanly, then exit 0. A stop signal always stops:
 * when the close does not finish within the deadline, or a file read is still stuck in one of
 * libuv's worker threads, the process ends by the signal itself instead of `process.exit()`.
 *
 * Why not `process.exit()` there: at exit, libuv joins its worker threads, and a thread blocked
 * in a read that never returns (a FIFO, a hung network or FUSE mount) is never joined, so
 * `process.exit()` itself hangs and a stuck key-file check kept SIGTERM from stopping the
 * server. Re-raising the signal with its default action ends the process in the kernel, with
 * no exit handlers; the parent sees "killed by SIGTERM", which is what happened.
 *
 * @see https://github.com/libuv/libuv/blob/v1.x/src/threadpool.c (uv__threadpool_cleanup joins)
 * @see https://nodejs.org/api/process.html#processgetactiveresourcesinfo
 */

export interface StopOptions {
  /** Closes everything (subscriptions, server, store, log). */
  close(): Promise<void>;
  /** How long a clean close may take. */
  deadlineMs: number;
  /** One line for the operator (stderr). */
  say(line: string): void;
  signals?: readonly NodeJS.Signals[];
}

/** Installs the handlers; the first signal starts the stop, later ones are ignored. */
export function stopOnSignals(options: StopOptions): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // Not "a second signal means now": Ctrl-C reaches tsx and us, and tsx relays it again.
    if (stopping) return;
    stopping = true;
    // unref: a clean close that finishes earlier exits without waiting for this timer.
    setTimeout(() => {
      options.say(`did not stop within ${options.deadlineMs / 1000} s after ${signal}; exiting`);
      endBySignal(signal);
    }, options.deadlineMs).unref();
    options.close().then(
      () => exit(signal, 0),
      (error: unknown) => {
        options.say(`error while stopping after ${signal}: ${String(error)}`);
        exit(signal, 1);
      },
    );
  };
  for (const signal of options.signals ?? ['SIGINT', 'SIGTERM']) process.on(signal, stop);
}

/** File operations still waiting on a worker thread (each would hold `process.exit()`). */
export function pendingFileOperations(): number {
  return process
    .getActiveResourcesInfo()
    .filter((kind) => kind === 'FSReqPromise' || kind === 'FSReqCallback').length;
}

function exit(signal: NodeJS.Signals, code: number): void {
  if (pendingFileOperations() > 0) endBySignal(signal);
  else process.exit(code);
}

/** Ends the process by `signal`'s default action (see the module comment). */
function endBySignal(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
