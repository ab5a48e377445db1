import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { isDatabaseUnavailable } from '../../src/store/database-errors.js';
import { dumpPgliteDatabase, openPgliteDatabase } from '../../src/store/pglite-database.js';
import { openPgliteWorkerDatabase } from '../../src/store/pglite-worker-database.js';

// EMBEDDED_DATABASE_THREAD=worker (docs/performance.md): PGlite in a worker thread behind the same
// Database interface, each call a message. Values, errors, transactions and notifications must
// behave as with PGlite on the calling thread.
describe('embedded database in a worker thread', () => {
  let db: Database;
  let here: Database;
  // Each open starts a PGlite (WebAssembly) of its own: about 15 s on an idle 2-core machine, near
  // 60 s while the rest of the suite runs beside it, so opening tests get 3 minutes.
  const schema = `create table things (id int primary key, label text, doc jsonb, tags text[], at timestamptz, raw bytea, big int8, ok boolean)`;
  beforeAll(async () => {
    [db, here] = await Promise.all([openPgliteWorkerDatabase(), openPgliteDatabase()]);
    await Promise.all([db.exec(schema), here.exec(schema)]);
  }, 180_000);
  afterAll(async () => {
    await db?.close();
    await here?.close();
  });

  it('returns the same rows as PGlite on this thread: Dates, bytes, int8, json, arrays and nulls', async () => {
    const at = new Date('2026-12-05T12:34:56.789Z');
    const values = [
      [1, `it's`, { a: [1, null, 'x'] }, ['b,c', null], at, Buffer.from([0, 39, 92, 255]), 2 ** 40, true],
      [2, null, null, null, null, null, null, null],
    ];
    const insert = 'insert into things (id, label, doc, tags, at, raw, big, ok) values ($1, $2, $3, $4, $5, $6, $7, $8)';
    for (const v of values) {
      expect(await db.query(insert, v)).toEqual(await here.query(insert, v));
    }
    const select = 'select *, $1::int8 as param_big, $2::bytea as param_raw from things order by id';
    const params = [7n, new Uint8Array([1, 2])];
    const rows = (await db.query<Record<string, unknown>>(select, params)).rows;
    expect(rows).toEqual((await here.query(select, params)).rows);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect((rows[0]!.at as Date).toISOString()).toBe(at.toISOString());
    expect(rows[0]!.raw).toBeInstanceOf(Uint8Array);
    expect([...(rows[0]!.raw as Uint8Array)]).toEqual([0, 39, 92, 255]);
    expect(rows[0]!.big).toBe(2 ** 40);
    expect(rows[0]!.param_big).toBe(7);
    expect(rows[1]).toMatchObject({ label: null, doc: null, at: null, raw: null });
  });

  it('keeps an error’s SQLSTATE code, message and PostgreSQL fields', async () => {
    const insert = 'insert into things (id, label) values ($1, $2)';
    const failure = (d: Database) =>
      d.query(insert, [1, 'again']).then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
    const [there, local] = await Promise.all([failure(db), failure(here)]);
    expect(there).toBeInstanceOf(Error);
    expect(there.message).toBe(local.message);
    for (const key of ['code', 'constraint', 'table', 'detail', 'severity', 'query']) {
      expect((there as unknown as Record<string, unknown>)[key], key).toEqual((local as unknown as Record<string, unknown>)[key]);
    }
    expect((there as { code?: string }).code).toBe('23505');
    expect(isDatabaseUnavailable(there)).toBe(false);
    await expect(db.exec('select 1/0')).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
  });

  it('commits a transaction, rolls one back when its function throws, and makes other statements wait for it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedInTx = new Promise<void>((r) => (inserted = r));
    const order: string[] = [];
    const tx = db.transaction(async (t) => {
      await t.query('insert into things (id, label) values (10, $1)', ['in tx']);
      inserted();
      await held;
      order.push('commit');
      return 'done';
    });
    // The statement outside is sent once the transaction has begun and inserted (a fixed sleep
    // here was too short on a loaded machine: the outside statement then ran first).
    await insertedInTx;
    const outside = db.query<{ n: number }>('select count(*)::int as n from things where id = 10').then((r) => {
      order.push('outside');
      return r.rows[0]!.n;
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    expect(await tx).toBe('done');
    expect(await outside).toBe(1);
    expect(order).toEqual(['commit', 'outside']);

    await expect(
      db.transaction(async (t) => {
        await t.query('insert into things (id, label) values (11, $1)', ['rolled back']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      db.transaction(async (t) => {
        await t.query('insert into things (id, label) values (12, $1)', ['rolled back']);
        await t.query('insert into things (id, label) values (10, $1)', ['duplicate']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('select id from things where id > 9 order by id')).rows).toEqual([{ id: 10 }]);
  });

  it('passes notifications on until the listener stops, after the transaction that sent them commits', async () => {
    const seen: string[] = [];
    const stop = await db.listen('things_changed', (payload) => seen.push(payload));
    await db.transaction(async (t) => {
      await t.query(`select pg_notify('things_changed', 'one')`);
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['one']);
    await stop();
    await db.query(`select pg_notify('things_changed', 'two')`);
    expect(seen).toEqual(['one']);
  });

  it('counts statements and transactions as the adapter on this thread does', async () => {
    const before = { ...db.counters };
    await db.query('select 1');
    await db.transaction(async (t) => {
      await t.query('select 2');
      await t.exec('select 3');
    });
    expect(db.counters).toEqual({ statements: before.statements + 3, transactions: before.transactions + 1 });
  });

  it('starts from a data directory tarball, and refuses calls once closed with an error read as unavailable', async () => {
    const image = await dumpPgliteDatabase((d) => d.exec(`create table kept (v text); insert into kept values ('from the image')`));
    const copy = await openPgliteWorkerDatabase(undefined, image);
    expect((await copy.query('select v from kept')).rows).toEqual([{ v: 'from the image' }]);
    await copy.close();
    const err = await copy.query('select 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(err)).toBe(true);
  }, 180_000);

  it('opens a data directory and reopens it with its data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pathwise-worker-'));
    try {
      const first = await openPgliteWorkerDatabase(dir);
      await first.exec(`create table kept (v text); insert into kept values ('still here')`);
      await first.close();
      const again = await openPgliteWorkerDatabase(dir);
      expect((await again.query('select v from kept')).rows).toEqual([{ v: 'still here' }]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
