/**
 * Builds the list of authentication attempts for one hop, in OpenSSH's order: agent keys,
 * then key files, then password, then keyboard-interactive (answering password prompts).
 * Keys are parsed here, not inside ssh2, so a missing or wrong passphrase becomes a clear
 * error naming the key file instead of a silent "all methods failed".
 *
 * @see https://github.com/mscdex/ssh2#client-methods — `authHandler` as an array of methods
 * @see https://github.com/mscdex/ssh2/blob/master/lib/protocol/keyParser.js — `parseKey`
 */
import ssh2 from 'ssh2';
import type { AuthenticationType, ParsedKey } from 'ssh2';
import { SshError } from '../errors/ssh-error.ts';
import type { ResolvedHop } from './target.ts';

/** One attempt in ssh2's `authHandler` array form. */
export type AuthAttempt =
  | { type: 'agent'; username: string; agent: string }
  | { type: 'publickey'; username: string; key: ParsedKey }
  | { type: 'password'; username: string; password: string }
  | {
      type: 'keyboard-interactive';
      username: string;
      prompt: (
        name: string,
        instructions: string,
        lang: string,
        prompts: { prompt: string; echo?: boolean }[],
        finish: (answers: string[]) => void,
      ) => void;
    };

/** Attempts plus the notes (skipped keys) that explain an eventual auth failure. */
export interface AuthPlan {
  readonly attempts: AuthAttempt[];
  readonly notes: string[];
  readonly methods: AuthenticationType[];
}

/** Parses one private key file; errors name the file. */
export function parsePrivateKey(
  path: string,
  data: Buffer,
  passphrase: string | undefined,
): ParsedKey {
  const parsed = ssh2.utils.parseKey(data, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const msg = key instanceof Error ? key.message : 'no key found';
    if (/no passphrase given/i.test(msg)) {
      throw new SshError('auth', `The key file ${path} is encrypted and no passphrase was given.`, {
        remedy: 'Enter the passphrase of this key, or load the key into ssh-agent (`ssh-add`).',
      });
    }
    if (/bad passphrase|integrity check failed|bad decrypt/i.test(msg)) {
      throw new SshError('auth', `Wrong passphrase for the key file ${path}.`, {
        remedy: 'Re-enter the passphrase of this key (check with `ssh-keygen -y -f <key>`).',
      });
    }
    throw new SshError('auth', `The key file ${path} is not a usable private key (${msg}).`, {
      remedy: 'Choose an OpenSSH, PEM or PuTTY private key file (RSA, ECDSA or Ed25519).',
    });
  }
  if (!key.isPrivateKey()) {
    throw new SshError('auth', `The key file ${path} holds a public key, not a private key.`, {
      remedy: 'Choose the private key (the file without `.pub`).',
    });
  }
  return key;
}

/**
 * Builds the auth plan. Explicitly chosen key files that cannot be read or decrypted throw;
 * default keys (`~/.ssh/id_*`) that are encrypted without a passphrase are skipped with a
 * note, as they may be in the agent already.
 */
export async function buildAuthPlan(
  hop: ResolvedHop,
  readFile: (path: string) => Promise<Buffer>,
): Promise<AuthPlan> {
  const attempts: AuthAttempt[] = [];
  const notes: string[] = [];
  const methods = new Set<AuthenticationType>();
  const username = hop.user;
  if (hop.agentSocket) {
    attempts.push({ type: 'agent', username, agent: hop.agentSocket });
    methods.add('agent');
  }
  for (const file of hop.identityFiles) {
    let data: Buffer;
    try {
      data = await readFile(file.path);
    } catch (err) {
      if (!file.explicit) continue;
      // An IdentityFile that does not exist is skipped by OpenSSH too; an explicit keyPath is not.
      const code = (err as { code?: unknown }).code;
      if (code === 'ENOENT' && hop.agentSocket) {
        notes.push(`key file ${file.path} not found`);
        continue;
      }
      throw new SshError(
        'auth',
        `Cannot read the key file ${file.path} (${String(code ?? err)}).`,
        {
          remedy: 'Check the path and that the file is readable by you (mode 0600).',
          cause: err,
        },
      );
    }
    try {
      attempts.push({
        type: 'publickey',
        username,
        key: parsePrivateKey(file.path, data, hop.secrets.passphrase),
      });
      methods.add('publickey');
    } catch (err) {
      if (file.explicit && !(hop.agentSocket && hop.secrets.passphrase === undefined)) throw err;
      notes.push(err instanceof Error ? err.message : String(err));
    }
  }
  const password = hop.secrets.password;
  if (password !== undefined) {
    attempts.push({ type: 'password', username, password });
    attempts.push({
      type: 'keyboard-interactive',
      username,
      // Answer every hidden prompt (PAM's "Password:") with the password; visible prompts
      // (OTP, questions) cannot be answered unattended and get an empty answer.
      prompt: (_name, _instr, _lang, prompts, finish) =>
        finish(prompts.map((p) => (p.echo ? '' : password))),
    });
    methods.add('password');
    methods.add('keyboard-interactive');
  }
  return { attempts, notes, methods: [...methods] };
}
