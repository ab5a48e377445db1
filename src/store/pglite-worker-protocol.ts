/** Messages between the main thread's embedded database and its worker thread (structured clone). */

export interface WorkerStart {
  dir?: string;
  /** A data directory tarball to start from (dumpPgliteDatabase), moved to the worker. */
  from?: ArrayBuffer;
}

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string; listener: number }
  | { id: number; op: 'unlisten'; handle: number }
  | { id: number; op: 'close' };

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { notify: number; payload: string }
  | { ready: true }
  | { ready: false; error: SerializedError };

/** An error's name, message, stack and its own fields that clone (SQLSTATE code, detail, constraint, query, params ...). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

const cloneable = (value: unknown): boolean => {
  if (value === null || value === undefined) return true;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint') return true;
  if (t !== 'object') return false;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
};

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    // PGlite's errors carry the query's options (with parser functions): not ours to pass on.
    if (key !== 'queryOptions' && cloneable(value)) fields[key] = value;
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

/** The error again on this side: same name, message and fields; its stack is the worker's. */
export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  Object.assign(err, e.fields);
  Object.defineProperty(err, 'name', { value: e.name, writable: true, configurable: true, enumerable: false });
  if (e.stack) err.stack = e.stack;
  return err;
}
