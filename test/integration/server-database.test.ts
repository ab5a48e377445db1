import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openServerDatabase } from '../../src/store/server-database.js';
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

describe.runIf(process.env.DATABASE_URL)('PostgreSQL server: the launch statements as prepared statements', () => {
  const preparedOn = (db: Database) =>
    db.transaction(async (tx) => {
      // One connection for the whole transaction: pg_prepared_statements is per connection.
      const first = await tx.query<{ n: number }>('select $1::int + 1 as n', [1], { prepare: true });
      const second = await tx.query<{ n: number }>('select $1::int + 1 as n', [41], { prepare: true });
      await tx.query('select $1::int + 2 as n', [1]);
      const { rows } = await tx.query<{ statement: string }>('select statement from pg_prepared_statements');
      return { answers: [first.rows[0]!.n, second.rows[0]!.n], statements: rows.map((r) => r.statement) };
    });

  it('prepares a statement marked `prepare` once per connection and sends the others unnamed', async () => {
    const db = await openServerDatabase(process.env.DATABASE_URL!, { max: 1 });
    try {
      const { answers, statements } = await preparedOn(db);
      expect(answers).toEqual([2, 42]);
      expect(statements.filter((s) => s === 'select $1::int + 1 as n')).toHaveLength(1);
      expect(statements.some((s) => s.includes('+ 2'))).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('prepares nothing with preparedStatements: false (a pooler in transaction mode)', async () => {
    const db = await openServerDatabase(process.env.DATABASE_URL!, { max: 1, preparedStatements: false });
    try {
      const { answers, statements } = await preparedOn(db);
      expect(answers).toEqual([2, 42]);
      expect(statements).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
