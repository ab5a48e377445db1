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

function wrapPglite(pg: PGlite): Database {
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
