/**
 * A tiny simulated `sh` for kube-sim's `pods/exec`: answers a handful of commands truthfully
 * about the simulated pod (its hostname, the kernel its sandbox shows, its environment, the
 * terminal size the client last sent) and nothing else. Pure: input lines in, output out, so
 * units test it without a socket. The image has `/bin/sh` but no `bash` (like busybox/alpine),
 * so a client's shell probe (bash, then sh) must fall back.
 *
 * @see https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html (sh exit 127)
 * @see https://man7.org/linux/man-pages/man1/stty.1.html (`stty size`: "rows cols")
 */

/** What the shell knows about its pod and container. */
export interface ShellFacts {
  hostname: string;
  /** The kernel release the container sees (`kernelSeenBy` of sim/commands.ts). */
  kernel: string;
  /** The container's environment, in order (PATH, HOSTNAME, spec env, service variables). */
  env: readonly (readonly [string, string])[];
  tty: boolean;
}

/** What one command line produced. */
export interface LineResult {
  stdout: string;
  stderr: string;
  /** Set by `exit N`: the shell ends with this code. */
  exit?: number;
}

/** Executables present in the simulated image (others: "not found" / exec failure). */
export const SHELLS_PRESENT: readonly string[] = ['sh', '/bin/sh'];

/** The state of one shell session. */
export class SimShell {
  /** Exit status of the last command (`$?`). */
  status = 0;
  private size: { rows: number; cols: number } | undefined;

  constructor(private readonly facts: ShellFacts) {}

  /** The terminal size from the client's last resize message. */
  resize(cols: number, rows: number): void {
    this.size = { rows, cols };
  }

  /** Runs one command line (commands separated by `;`). */
  run(line: string): LineResult {
    const out: LineResult = { stdout: '', stderr: '' };
    for (const part of line.split(/;|\n/)) {
      const argv = this.words(part);
      if (argv.length === 0) continue;
      const r = this.command(argv);
      out.stdout += r.stdout;
      out.stderr += r.stderr;
      if (r.exit !== undefined) return { ...out, exit: r.exit };
    }
    return out;
  }

  private command(argv: string[]): LineResult {
    const [name = '', ...args] = argv;
    const ok = (stdout: string): LineResult => {
      this.status = 0;
      return { stdout, stderr: '' };
    };
    const fail = (code: number, stderr: string): LineResult => {
      this.status = code;
      return { stdout: '', stderr };
    };
    switch (name) {
      case 'hostname':
        return ok(`${this.facts.hostname}\n`);
      case 'uname':
        return ok(`${args.includes('-r') ? this.facts.kernel : 'Linux'}\n`);
      case 'env':
      case 'printenv':
        return ok(
          this.environment()
            .map(([k, v]) => `${k}=${v}\n`)
            .join(''),
        );
      case 'echo':
        return ok(`${args.join(' ')}\n`);
      case 'true':
        return ok('');
      case 'false':
        return fail(1, '');
      case 'cat':
        if (args.length === 1 && args[0] === '/etc/hostname') return ok(`${this.facts.hostname}\n`);
        return fail(
          1,
          args.map((a) => `cat: can't open '${a}': No such file or directory\n`).join(''),
        );
      case 'stty':
        if (args[0] !== 'size') return fail(1, `stty: unsupported in this simulation\n`);
        if (!this.facts.tty || this.size === undefined)
          return fail(1, 'stty: standard input: Not a tty\n');
        return ok(`${this.size.rows} ${this.size.cols}\n`);
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number.parseInt(args[0], 10);
        return { stdout: '', stderr: '', exit: Number.isInteger(code) ? code & 0xff : 2 };
      }
      default:
        return fail(127, `sh: ${name}: not found\n`);
    }
  }

  private environment(): (readonly [string, string])[] {
    const env = [...this.facts.env];
    if (this.facts.tty) env.push(['TERM', 'xterm']);
    return env;
  }

  /** Splits on blanks, honours '…' and "…" quoting, expands `$?` and `$NAME`. */
  private words(text: string): string[] {
    const out: string[] = [];
    const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[1] !== undefined) out.push(m[1]);
      else out.push(this.expand(m[2] ?? m[3] ?? ''));
    }
    return out;
  }

  private expand(word: string): string {
    const env = new Map(this.environment());
    return word.replace(/\$(\?|[A-Za-z_][A-Za-z0-9_]*)/g, (_m, v: string) =>
      v === '?' ? String(this.status) : (env.get(v) ?? ''),
    );
  }
}
