import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openPgliteDatabase } from '../../src/store/pglite-database.js';
import { openPgliteWorkerDatabase } from '../../src/store/pglite-worker-database.js';
import { openServerDatabase } from '../../src/store/server-database.js';
import { migrate } from '../../src/store/migrate.js';

/**
 * A fresh, migrated database for one test file: the embedded PostgreSQL in memory (a copy of
 * the one migrated at the start of the run), or — when
 * DATABASE_URL is set (CI's second run) — a schema of its own on that server, dropped on close.
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    // A copy of the database migrated once for the whole run (test/support/global-setup.ts).
    // EMBEDDED_DATABASE_THREAD=worker runs the suite on PGlite in a worker thread, as Pathwise would.
    const open = process.env.EMBEDDED_DATABASE_THREAD === 'worker' ? openPgliteWorkerDatabase : openPgliteDatabase;
    const template = inject('pgliteTemplate');
    if (template) return open(undefined, new Blob([readFileSync(template)]));
    const db = await open();
    await migrate(db);
    return db;
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openServerDatabase(url, { max: 1 });
  await admin.exec(`create schema ${schema}`);
  await admin.close();
  const db = await openServerDatabase(url, { schema, max: 5 });
  await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    async close() {
      await close();
      const cleanup = await openServerDatabase(url, { max: 1 });
      await cleanup.exec(`drop schema ${schema} cascade`);
      await cleanup.close();
    },
  };
}
