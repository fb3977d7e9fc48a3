/** Bundle entry of the stand-in `kata-runtime` / `containerd-shim-kata-v2` (one file, two names). */
import { kataMain } from './main.ts';

process.exitCode = kataMain(process.argv[1] ?? 'kata-runtime', process.argv.slice(2));
