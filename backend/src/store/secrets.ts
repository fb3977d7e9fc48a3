/**
 * Data access for `secrets`: ciphertext only. Encryption happens here, through the injected
 * {@link SecretBox}, so plaintext never reaches SQLite; every value that passes through is
 * registered with the log redactor.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SecretBox } from '../secrets/secret-box.ts';

export interface SecretsTable {
  /** Encrypts and stores `plain`; returns the new secret's id. */
  put(plain: string): string;
  /** Decrypts a stored secret. Throws when it is missing or fails authentication. */
  reveal(id: string): string;
  delete(id: string): void;
}

export interface SecretsTableOptions {
  box: SecretBox;
  /** Called with every plaintext stored or revealed (the log redactor's `register`). */
  onSecret: (plain: string) => void;
  clock: () => Date;
  newId?: () => string;
}

export function secretsTable(db: Database.Database, options: SecretsTableOptions): SecretsTable {
  const newId = options.newId ?? randomUUID;
  const insert = db.prepare<[string, string, Buffer, string]>(
    'INSERT INTO secrets (id, box_kind, ciphertext, created_at) VALUES (?, ?, ?, ?)',
  );
  const get = db.prepare<[string], { box_kind: string; ciphertext: Buffer }>(
    'SELECT box_kind, ciphertext FROM secrets WHERE id = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM secrets WHERE id = ?');
  return {
    put(plain) {
      options.onSecret(plain);
      const id = newId();
      insert.run(id, options.box.kind, options.box.encrypt(plain), options.clock().toISOString());
      return id;
    },
    reveal(id) {
      const row = get.get(id);
      if (!row) throw new Error(`No stored secret with id ${id}.`);
      if (row.box_kind !== options.box.kind) {
        throw new Error(
          `Secret ${id} was stored with ${row.box_kind} but this session uses ${options.box.kind}.`,
        );
      }
      const plain = options.box.decrypt(row.ciphertext);
      options.onSecret(plain);
      return plain;
    },
    delete: (id) => void remove.run(id),
  };
}
