/** Bundle entry of the stand-in `runsc` / `containerd-shim-runsc-v1` (one file, two names). */
import fs from 'node:fs';
import { runscMain } from './main.ts';

process.exitCode = runscMain(process.argv[1] ?? 'runsc', process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  openKvm: () => {
    try {
      fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },
});
