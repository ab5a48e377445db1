import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { newCounters, type Database, type QueryResult, type Transaction } from './database.js';
import { deserializeError, type WorkerReply, type WorkerRequest, type WorkerStart } from './pglite-worker-protocol.js';

type Call = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Starts the worker's entry beside this module: the compiled `.js` after `npm run build`; under
 * tsx or vitest the `.ts` source, which a worker thread loads only once tsx's loader is
 * registered in it (Node 20 does not apply `--import tsx` in a worker's execArgv in time).
 */
function startWorker(start: WorkerStart): Worker {
  const options = { workerData: start, transferList: start.from ? [start.from] : [] };
  const js = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL('./pglite-worker.ts', import.meta.url);
  // tsx's `./esm/api` export for import (its require build resolves its own files wrongly here).
  const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'));
  const boot = `import(${JSON.stringify(tsx.href)}).then((api) => { api.register(); return import(${JSON.stringify(ts.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * The embedded PostgreSQL (PGlite) in a worker thread (EMBEDDED_DATABASE_THREAD=worker, see
 * docs/performance.md): the same database and adapter as openPgliteDatabase, in `dir` or in
 * memory, started from `from` when given, with each call sent to the worker as a message. Rows,
 * parameters and errors cross by structured clone (Dates, Uint8Arrays, bigints and nulls as
 * they are; an error keeps its SQLSTATE `code` and PostgreSQL's fields). A transaction holds
 * PGlite until it ends, as in one thread: other statements wait. The counters are kept here.
 */
export async function openPgliteWorkerDatabase(dir?: string, from?: Blob): Promise<Database> {
  const worker = startWorker({ dir, from: from ? await from.arrayBuffer() : undefined });
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  const listeners = new Map<number, (payload: string) => void>();
  let nextId = 0;
  let closed: Error | undefined;
  // Like PGlite in this thread, an idle database does not keep the process alive.
  const refresh = () => (pending.size > 0 ? worker.ref() : worker.unref());

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: WorkerReply) => {
      if ('ready' in msg) return msg.ready ? resolve() : reject(deserializeError(msg.error));
      if ('notify' in msg) return listeners.get(msg.notify)?.(msg.payload);
      const call = pending.get(msg.id);
      if (!call) return;
      pending.delete(msg.id);
      refresh();
      if (msg.ok) call.resolve(msg.value);
      else call.reject(deserializeError(msg.error));
    });
    const fail = (err: Error) => {
      closed ??= new Error(`the embedded database is closed: ${err.message}`);
      reject(err);
      for (const call of pending.values()) call.reject(closed);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`its thread exited (${code})`)));
  });
  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  refresh();

  const call = (req: Call): Promise<unknown> => {
    if (closed) return Promise.reject(closed);
    const id = (nextId += 1);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
      refresh();
    });
  };

  const counters = newCounters();
  const target = (tx?: number): Transaction => ({
    async query<T>(sql: string, params?: unknown[]) {
      counters.statements += 1;
      return (await call({ op: 'query', sql, params, tx })) as QueryResult<T>;
    },
    async exec(sql: string) {
      counters.statements += 1;
      await call({ op: 'exec', sql, tx });
    },
  });
  const outside = target();

  return {
    kind: 'embedded',
    counters,
    query: outside.query,
    exec: outside.exec,
    async transaction(fn) {
      counters.transactions += 1;
      const tx = (await call({ op: 'begin' })) as number;
      let result;
      try {
        result = await fn(target(tx));
      } catch (err) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw err;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    async listen(channel, onNotify) {
      const listener = (nextId += 1);
      listeners.set(listener, onNotify);
      let handle: number;
      try {
        handle = (await call({ op: 'listen', channel, listener })) as number;
      } catch (err) {
        listeners.delete(listener);
        throw err;
      }
      return async () => {
        listeners.delete(listener);
        await call({ op: 'unlisten', handle });
      };
    },
    async close() {
      if (closed) return;
      await call({ op: 'close' });
      closed = new Error('the embedded database is closed');
      await worker.terminate();
    },
  };
}
