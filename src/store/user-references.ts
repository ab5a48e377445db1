import type { Queryable } from './database.js';

export interface UserReference {
  table: string;
  column: string;
  /** What the foreign key does when the user row goes: the row goes too (c) or the column is emptied (n). */
  onDelete: 'cascade' | 'set_null' | 'other';
}

/**
 * Every column that points at users(id), read from the database catalog, so a table added by a
 * later migration is exported and counted without anyone remembering to list it here.
 */
export async function userReferences(db: Queryable): Promise<UserReference[]> {
  const { rows } = await db.query<{ table: string; column: string; action: string }>(
    `select cl.relname as table, a.attname as column, c.confdeltype as action
       from pg_constraint c
       join pg_class cl on cl.oid = c.conrelid
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
      where c.contype = 'f' and c.confrelid = 'users'::regclass
      order by cl.relname, a.attname`,
  );
  return rows.map((r) => ({
    table: r.table,
    column: r.column,
    onDelete: r.action === 'c' ? 'cascade' : r.action === 'n' ? 'set_null' : 'other',
  }));
}

/** Quotes an identifier read from the catalog. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
