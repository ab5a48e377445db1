import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, QueryResult, Transaction } from './database.js';

// Same JS types as the server driver: int8 and numeric as numbers, timestamps as Date.
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Transaction {
  return {
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const res = await q.query<T>(sql, params as unknown[] | undefined, { parsers });
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
  };
}

/** Opens the embedded PostgreSQL: in `dir` when given, else in memory (tests). */
export async function openPgliteDatabase(dir?: string): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir ? { dataDir: dir } : {});
  const base = wrap(pg);
  return {
    kind: 'embedded',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      return pg.transaction((tx) => fn(wrap(tx)));
    },
    async close() {
      await pg.close();
    },
  };
}
