/** The narrow interface every repository uses; implemented by the embedded and the server database. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * A statement run on every launch: the server adapter sends it as a named (prepared) statement,
   * so each connection parses and plans it once instead of every time. Only for a statement whose
   * text comes from a handful of variants (each variant stays prepared on each pooled connection).
   * The embedded database ignores it: it prepares every statement outside a transaction anyway
   * (pglite-database.ts).
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
}

/** A connection inside a transaction. */
export interface Transaction extends Queryable {
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * Counters kept by the adapter since it opened: every `query` and `exec` call is one statement
 * (BEGIN/COMMIT/ROLLBACK are not counted as statements; each transaction is counted once).
 * The launch benchmark reads them to report the statements one round trip costs.
 */
export interface DatabaseCounters {
  statements: number;
  transactions: number;
}

export interface Database extends Transaction {
  /** `embedded` is PGlite in DATA_DIR (or memory); `server` is PostgreSQL through `pg`. */
  readonly kind: 'embedded' | 'server';
  /** Live counters; read them, never write them. */
  readonly counters: Readonly<DatabaseCounters>;
  /** Runs fn in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (from this or any other process on the same
   * database) until the returned function is called. `onReconnect`, when given, is called after a
   * lost listening connection is back, since notifications sent meanwhile were missed. A payload
   * that names another schema than this database's is another Pathwise database's on the same
   * server (one schema each) and is not passed on.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Fresh zeroed counters. */
export const newCounters = (): DatabaseCounters => ({ statements: 0, transactions: 0 });
