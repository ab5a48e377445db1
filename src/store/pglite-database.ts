import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { newCounters, type Database, type DatabaseCounters, type QueryResult, type Transaction } from './database.js';

// Same JS types as the server driver: int8 and numeric as numbers, timestamps as Date.
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

function wrap(q: Pick<PGlite, 'query' | 'exec'>, counters: DatabaseCounters): Transaction {
  return {
    async exec(sql: string) {
      counters.statements += 1;
      await q.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      counters.statements += 1;
      const res = await q.query<T>(sql, params as unknown[] | undefined, { parsers });
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
  };
}

/** Opens the embedded PostgreSQL: in `dir` when given, else in memory (tests). */
export async function openPgliteDatabase(dir?: string): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir ? { dataDir: dir } : {});
  const counters = newCounters();
  const base = wrap(pg, counters);
  return {
    kind: 'embedded',
    counters,
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      counters.transactions += 1;
      return pg.transaction((tx) => fn(wrap(tx, counters)));
    },
    async listen(channel, onNotify) {
      // One process owns the data directory, so every NOTIFY comes from this instance.
      const stop = await pg.listen(channel, onNotify);
      return () => stop();
    },
    async close() {
      await pg.close();
    },
  };
}
