/**
 * The embedded database's thread (pglite-worker-database.ts): opens PGlite here, with the same
 * adapter the main thread would use (pglite-database.ts: prepared statements, parsers, memory
 * settings), and serves it one message per call. Statements arrive concurrently and queue on
 * PGlite's own lock, as they do in one thread; a transaction's statements name it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Transaction } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { serializeError, type WorkerReply, type WorkerRequest, type WorkerStart } from './pglite-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs in a worker thread only');

const start = workerData as WorkerStart;

interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
  /** Settles when PGlite has committed or rolled back. */
  done: Promise<unknown>;
}

const reply = (message: WorkerReply): void => {
  try {
    port.postMessage(message);
  } catch (err) {
    // A value the structured clone refuses (never a row PGlite returns): report it, not hang.
    if ('id' in message) port.postMessage({ id: message.id, ok: false, error: serializeError(err) } satisfies WorkerReply);
  }
};

async function main(): Promise<void> {
  const opened = openPgliteDatabase(start.dir, start.from ? new Blob([start.from]) : undefined);
  const transactions = new Map<number, OpenTransaction>();
  const listeners = new Map<number, () => Promise<void>>();
  let nextId = 0;

  const begin = async (): Promise<number> => {
    const db = await opened;
    const id = (nextId += 1);
    let finish!: (commit: boolean) => void;
    const ended = new Promise<boolean>((resolve) => (finish = resolve));
    let started!: (tx: Transaction) => void;
    const ready = new Promise<Transaction>((resolve) => (started = resolve));
    const done = db.transaction(async (tx) => {
      started(tx);
      // A rollback is a throw out of the callback; the caller already has its own error.
      if (!(await ended)) throw new Rollback();
    });
    // BEGIN itself failed: the callback never ran.
    const tx = await Promise.race([ready, done.then(() => Promise.reject(new Error('the transaction ended before it began')))]);
    transactions.set(id, { tx, finish, done });
    return id;
  };

  const handle = async (req: WorkerRequest): Promise<unknown> => {
    switch (req.op) {
      case 'query':
      case 'exec': {
        const target = req.tx === undefined ? await opened : transactions.get(req.tx)?.tx;
        if (!target) throw new Error('the transaction has already ended');
        if (req.op === 'exec') return target.exec(req.sql);
        return target.query(req.sql, req.params);
      }
      case 'begin':
        return begin();
      case 'end': {
        const open = transactions.get(req.tx);
        if (!open) throw new Error('the transaction has already ended');
        transactions.delete(req.tx);
        open.finish(req.commit);
        await open.done.catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        });
        return undefined;
      }
      case 'listen': {
        const id = (nextId += 1);
        const stop = await (await opened).listen(req.channel, (payload) => reply({ notify: req.listener, payload }));
        listeners.set(id, stop);
        return id;
      }
      case 'unlisten': {
        const stop = listeners.get(req.handle);
        listeners.delete(req.handle);
        await stop?.();
        return undefined;
      }
      case 'close':
        await (await opened).close();
        return undefined;
    }
  };

  port!.on('message', (req: WorkerRequest) => {
    handle(req).then(
      (value) => reply({ id: req.id, ok: true, value }),
      (err: unknown) => reply({ id: req.id, ok: false, error: serializeError(err) }),
    );
  });
  // Opened (or failed to): the main thread waits for this before its first call returns.
  await opened.then(
    () => reply({ ready: true }),
    (err: unknown) => reply({ ready: false, error: serializeError(err) }),
  );
}

/** Thrown out of a transaction's callback to make PGlite roll it back. */
class Rollback extends Error {}

void main();
