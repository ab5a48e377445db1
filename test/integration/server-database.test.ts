import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { createTestDatabase } from '../support/database.js';

// Runs in CI's second pass, on the PostgreSQL server (DATABASE_URL); the embedded database has one connection anyway.
describe.runIf(process.env.DATABASE_URL)('PostgreSQL server: queries started together inside a transaction', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs them one after another on the transaction connection, in order, without pg warnings', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const results = await db
        .transaction((tx) =>
          Promise.all([
            tx.query<{ n: number }>('select 1::int as n from pg_sleep(0.05)'),
            tx.query<{ n: number }>('select 2::int as n'),
            tx.query('select * from no_such_table').catch(() => ({ rows: [{ n: -1 }] })),
            tx.query<{ n: number }>('select 3::int as n'),
          ]),
        )
        .catch((err: unknown) => err);
      // The failed statement aborts the transaction: later statements in it fail, and it rolls back.
      expect(results).toBeInstanceOf(Error);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
      const ok = await db.transaction((tx) =>
        Promise.all([tx.query<{ n: number }>('select 1::int as n from pg_sleep(0.05)'), tx.query<{ n: number }>('select 2::int as n')]),
      );
      expect(ok.map((r) => r.rows[0]!.n)).toEqual([1, 2]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
