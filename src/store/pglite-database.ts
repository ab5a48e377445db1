import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

/**
 * PostgreSQL's memory settings inside the WASM heap (docs/performance.md): 128 MB of shared
 * buffers made the heap grow past its 128 MiB floor; Pathwise's working set is a few MB, and
 * pages not in the buffers are one read away in the OS page cache. Added to PGlite's own start
 * parameters (it has no other place for them that keeps initdb's postgresql.conf).
 */
const MEMORY_SETTINGS = ['shared_buffers=8MB', 'wal_buffers=256kB', 'temp_buffers=1MB', 'work_mem=2MB', 'maintenance_work_mem=8MB'];

function startParams(): string[] | undefined {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams;
  return defaults ? [...defaults, ...MEMORY_SETTINGS.flatMap((s) => ['-c', s])] : undefined;
}

/**
 * Creates a new data directory (initdb) in a short-lived child process. Done in this process,
 * initdb's WASM instance leaves ~400 MiB resident that the process never gives back (measured:
 * 755 MiB after a first start against 224 MiB when the directory already exists).
 */
async function initDataDirInChild(dir: string): Promise<void> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script =
    'const { PGlite } = require(process.argv[1]);' +
    'PGlite.create({ dataDir: process.argv[2] }).then((pg) => pg.close())' +
    '.then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.message)); process.exit(1); });';
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, entry, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`creating the embedded database failed: ${err}`))));
  });
}

/**
 * Opens the embedded PostgreSQL: in `dir` when given, else in memory (tests). `from` is a data
 * directory tarball (see dumpPgliteDatabase) to start from instead of an empty cluster.
 */
export async function openPgliteDatabase(dir?: string, from?: Blob): Promise<Database> {
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await initDataDirInChild(dir);
  }
  const pg = await PGlite.create({ ...(dir ? { dataDir: dir } : {}), ...(from ? { loadDataDir: from } : {}), startParams: startParams() });
  return wrapPglite(pg);
}

/**
 * Prepares an in-memory embedded database with `prepare` (e.g. migrate) and returns its data
 * directory as an uncompressed tarball, so others can start from it: the test suite migrates
 * once and gives each test file a copy.
 */
export async function dumpPgliteDatabase(prepare: (db: Database) => Promise<unknown>): Promise<Blob> {
  const pg = await PGlite.create({ startParams: startParams() });
  try {
    await prepare(wrapPglite(pg));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

/** Statements PostgreSQL's PREPARE accepts. */
const PREPARABLE = /^\s*(select|insert|update|delete|with|values)\b/i;
/** Distinct statement texts kept prepared; the app has a few hundred, all constant. */
const MAX_PREPARED = 1000;

interface Prepared {
  name: string;
  /** Parameter type OIDs, to serialize each value as PGlite's own `query` would. */
  types: number[];
}

/**
 * Runs statements outside transactions as named prepared statements, prepared once per
 * statement text (docs/performance.md, PGlite): PGlite's `query` sends an unnamed statement
 * through six protocol calls into WebAssembly and PostgreSQL parses and plans it every time
 * (planning was 1.25 ms of the landing page's 1.35 ms select), while `EXECUTE` of a prepared
 * statement is one simple-protocol call that reuses the parse and, after five runs, a cached
 * plan. The values become literals after PGlite's own serializer for each parameter's type. A
 * statement PREPARE refuses (other commands, parameters whose type PostgreSQL cannot infer)
 * runs through `query` as before. Not used inside transactions: a PREPARE there would be undone
 * by a rollback, and an error there aborts the transaction.
 */
function preparedStatements(pg: PGlite, counters: DatabaseCounters, plain: Transaction['query']) {
  const cache = new Map<string, Promise<Prepared | null>>();
  let next = 0;
  const prepare = async (sql: string, name: string): Promise<Prepared | null> => {
    try {
      await pg.exec(`prepare ${name} as ${sql}`);
    } catch {
      return null;
    }
    const res = await pg.query<{ types: number[] }>('select parameter_types::oid[] as types from pg_prepared_statements where name = $1', [name]);
    return { name, types: (res.rows[0]?.types ?? []).map(Number) };
  };
  // An escape-string literal, safe whatever standard_conforming_strings says. Undefined for text
  // with NUL, which ends the statement's C string: `query` reports it as before.
  const literal = (value: unknown, type: number | undefined): string | undefined => {
    if (value === null || value === undefined) return 'null';
    const serialize = type === undefined ? undefined : pg.serializers[type];
    const text = serialize ? serialize(value) : String(value as string);
    if (text.includes('\0')) return undefined;
    return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  };
  return async function query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    if (!PREPARABLE.test(sql)) return plain<T>(sql, params);
    let entry = cache.get(sql);
    if (!entry) {
      if (cache.size >= MAX_PREPARED) {
        const [oldest, old] = cache.entries().next().value!;
        cache.delete(oldest);
        void old.then((o) => (o ? pg.exec(`deallocate ${o.name}`) : undefined)).catch(() => undefined);
      }
      entry = prepare(sql, `pw_${(next += 1)}`);
      cache.set(sql, entry);
    }
    const prepared = await entry;
    const values = params ?? [];
    if (!prepared || values.length !== prepared.types.length) return plain<T>(sql, params);
    const literals = values.map((v, i) => literal(v, prepared.types[i]));
    if (literals.includes(undefined)) return plain<T>(sql, params);
    counters.statements += 1;
    const args = literals.length ? `(${literals.join(', ')})` : '';
    let res;
    try {
      [res] = await pg.exec(`execute ${prepared.name}${args}`, { parsers });
    } catch (err) {
      // PGlite names the statement it ran on its errors: the caller's text, as `query` would.
      if (err && typeof err === 'object' && 'query' in err) Object.assign(err, { query: sql, params });
      throw err;
    }
    const rows = (res?.rows ?? []) as T[];
    return { rows, rowCount: res?.affectedRows ?? rows.length };
  };
}

function wrapPglite(pg: PGlite): Database {
  const counters = newCounters();
  const base = wrap(pg, counters);
  return {
    kind: 'embedded',
    counters,
    query: preparedStatements(pg, counters, base.query),
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
