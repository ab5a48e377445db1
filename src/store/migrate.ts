import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Database } from './database.js';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only keeps two Pathwise processes from migrating at once.
const MIGRATION_LOCK = 727_1001;

/** An applied migration whose file no longer has the content that was applied: start-up stops. */
export class MigrationChangedError extends Error {
  constructor(readonly files: string[]) {
    super(
      `Applied migration${files.length > 1 ? 's' : ''} changed since ${files.length > 1 ? 'they were' : 'it was'} applied: ${files.join(', ')}. ` +
        'A migration on a database must never be edited: restore the file as it was and add a new migration with the change.',
    );
    this.name = 'MigrationChangedError';
  }
}

/** SHA-256 of a migration's text, line endings normalised so a checkout on Windows matches. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Applies every migrations/NNN_name.sql not yet applied, in name order, in one transaction.
 * The advisory lock is taken first, before even the bookkeeping table is created, so several
 * instances starting together on one empty server wait for each other instead of racing on
 * `create table`. Each applied file's checksum is kept; if an applied file has since changed,
 * nothing is applied and MigrationChangedError says which. Rows applied before checksums
 * existed take the current file's checksum.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    );
    alter table schema_migrations add column if not exists checksum text`);
    const done = new Map(
      (await tx.query<{ name: string; checksum: string | null }>('select name, checksum from schema_migrations')).rows.map((r) => [r.name, r.checksum]),
    );
    const changed = files.filter((f) => done.has(f.name) && done.get(f.name) !== null && done.get(f.name) !== f.checksum);
    if (changed.length) throw new MigrationChangedError(changed.map((f) => f.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.name)) {
        if (done.get(file.name) === null) {
          await tx.query('update schema_migrations set checksum = $2 where name = $1', [file.name, file.checksum]);
        }
        continue;
      }
      await tx.exec(file.sql);
      await tx.query('insert into schema_migrations (name, checksum) values ($1, $2)', [file.name, file.checksum]);
      applied.push(file.name);
    }
    return applied;
  });
}
