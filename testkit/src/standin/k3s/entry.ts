/** Bundle entry of the stand-in `k3s`. */
import { run } from './main.ts';

run();
