import pg from 'pg';
import type { Database, QueryResult, Transaction } from './database.js';

const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    // int8 (20) and numeric (1700) as numbers, like the embedded database.
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * One connection runs one query at a time. Inside a transaction, callers may start several
 * queries at once (Promise.all); they are queued here, in order, instead of being handed to the
 * client concurrently (which pg deprecates). The pool needs no queue: each query gets a client.
 */
function queueFor(client: pg.Pool | pg.PoolClient): <T>(run: () => Promise<T>) => Promise<T> {
  if (client instanceof pg.Pool) return (run) => run();
  let tail: Promise<unknown> = Promise.resolve();
  return (run) => {
    const next = tail.then(run, run);
    tail = next.catch(() => {});
    return next;
  };
}

function wrap(client: pg.Pool | pg.PoolClient): Transaction {
  const queued = queueFor(client);
  return {
    async exec(sql: string) {
      // No parameters: the simple query protocol runs several statements.
      await queued(() => client.query(sql));
    },
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const res = await queued(() => client.query({ text: sql, values: params, types: typeParsers }));
      return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
}

/**
 * Connects to a PostgreSQL server. `schema`, when given, becomes the search_path of every
 * connection (the test suite gives each test file its own schema).
 */
export async function openServerDatabase(url: string, options: { schema?: string; max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const base = wrap(pool);
  await base.query('select 1');
  return {
    kind: 'server',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
