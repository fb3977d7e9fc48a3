import { parseClusterFile } from '@nodeless/host-bootstrap';
import { describe, expect, it } from 'vitest';
import { installOptions } from './apply-command.ts';
import type { LoadedClusterFile } from './cluster-file.ts';
import type { CliIo } from './io.ts';

const FILE = (artifacts: string) => `
apiVersion: nodeless.dev/v1alpha1
kind: Cluster
metadata:
  name: lab
spec:
  hosts:
    - ssh: { address: 10.0.0.11, user: admin }
      role: server
  sandbox: microvm
${artifacts}`;

function loaded(text: string): LoadedClusterFile {
  const parsed = parseClusterFile(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const spec = { name: '10.0.0.11', role: 'server' } as LoadedClusterFile['specs'][number];
  return { file: parsed.file, specs: [spec], meta: [] };
}

const io = { cwd: '/work' } as CliIo;

describe('apply: install options from the cluster file', () => {
  it('passes the Kata release and its sha256 of an online install to the engine', async () => {
    const sha = 'b'.repeat(64);
    const options = await installOptions(
      loaded(
        FILE(`  artifacts:\n    mode: online\n    kataVersion: 3.20.0\n    kataSha256: ${sha}\n`),
      ),
      io,
    );
    expect(options.artifacts).toEqual({ kind: 'online', kataVersion: '3.20.0', kataSha256: sha });
    expect(options.sandbox).toBe('kata-clh');
    expect(options.servers).toEqual(['10.0.0.11']);
  });

  it('sends no Kata fields when the file names none', async () => {
    const options = await installOptions(loaded(FILE('')), io);
    expect(options.artifacts).toEqual({ kind: 'online' });
  });
});
