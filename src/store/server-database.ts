import { createHash } from 'node:crypto';
import pg from 'pg';
import { newCounters, type Database, type DatabaseCounters, type QueryOptions, type QueryResult, type Transaction } from './database.js';

const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    // int8 (20) and numeric (1700) as numbers, like the embedded database.
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Names of prepared statements, by their text (pg keeps each one prepared per connection). */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `pw_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

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

function wrap(client: pg.Pool | pg.PoolClient, counters: DatabaseCounters, prepared: boolean): Transaction {
  const queued = queueFor(client);
  return {
    async exec(sql: string) {
      counters.statements += 1;
      // No parameters: the simple query protocol runs several statements.
      await queued(() => client.query(sql));
    },
    async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>> {
      counters.statements += 1;
      const name = prepared && options?.prepare ? statementName(sql) : undefined;
      const res = await queued(() => client.query({ name, text: sql, values: params, types: typeParsers }));
      return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
}

/**
 * Connects to a PostgreSQL server. `schema`, when given, becomes the search_path of every
 * connection (the test suite gives each test file its own schema). `preparedStatements: false`
 * sends the launch's statements unnamed too (for a pooler in transaction mode that cannot keep
 * prepared statements, such as PgBouncer before 1.21).
 */
export async function openServerDatabase(url: string, options: { schema?: string; max?: number; preparedStatements?: boolean } = {}): Promise<Database> {
  const prepared = options.preparedStatements ?? true;
  const connection = {
    connectionString: url,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
    connectionTimeoutMillis: 5000,
  };
  const pool = new pg.Pool({ ...connection, max: options.max ?? 10 });
  const counters = newCounters();
  const listeners = new Set<() => Promise<void>>();
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const base = wrap(pool, counters, prepared);
  await base.query('select 1');
  counters.statements = 0;
  return {
    kind: 'server',
    counters,
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      counters.transactions += 1;
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(wrap(client, counters, prepared));
        await client.query('commit');
        return result;
      } catch (err) {
        // A connection that cannot even roll back is dead (server restarted): drop it from the pool.
        await client.query('rollback').catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async listen(channel, onNotify, onReconnect) {
      const stop = await listenOn(connection, channel, onNotify, onReconnect);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      listeners.clear();
      await pool.end();
    },
  };
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). When the
 * connection is lost it comes back after a pause, and `onReconnect` says that notifications may
 * have been missed meanwhile.
 */
async function listenOn(
  connection: pg.ClientConfig,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client(connection);
    const own: { schema?: string } = {};
    c.on('notification', (msg) => {
      if (msg.channel !== channel) return;
      // A payload naming another schema comes from another Pathwise database on this server.
      if (msg.payload && own.schema && msg.payload !== own.schema) return;
      onNotify(msg.payload ?? '');
    });
    c.on('error', () => {
      // Lost: try again in a moment; whatever changed meanwhile is reloaded by onReconnect.
      if (stopped || client !== c) return;
      client = undefined;
      void c.end().catch(() => {});
      scheduleRetry();
    });
    await c.connect();
    own.schema = (await c.query<{ schema: string | null }>('select current_schema() as schema')).rows[0]?.schema ?? undefined;
    await c.query(`listen ${channel}`);
    client = c;
  };
  const scheduleRetry = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => onReconnect?.(),
        () => scheduleRetry(),
      );
    }, 1000);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}
