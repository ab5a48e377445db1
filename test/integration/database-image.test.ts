import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { buildDatabaseImage, restoreDatabaseImage } from '../../src/store/database-image.js';
import { migrate, MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';
import { openPgliteDatabase } from '../../src/store/pglite-database.js';

/** What must be the same whether a database was migrated from scratch or started from the image. */
async function schemaOf(db: Database) {
  const columns = await db.query(
    `select table_name, column_name, ordinal_position, data_type, is_nullable, column_default
       from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const indexes = await db.query(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by tablename, indexname`);
  const migrations = await db.query(`select name, checksum from schema_migrations order by name`);
  return { columns: columns.rows, indexes: indexes.rows, migrations: migrations.rows };
}

describe('the build’s embedded database image (a first start without initdb and migrations)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'pathwise-image-test-'));
  const image = path.join(work, 'build', 'embedded-database.tar.gz');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    expect(await buildDatabaseImage(image)).toEqual({ built: true });
  }, 300_000); // initdb and every migration in WebAssembly: slow on a busy machine

  it('is built once: a second build from the same migrations and PGlite leaves it as it is', async () => {
    expect(await buildDatabaseImage(image)).toEqual({ built: false });
  });

  it('starts an empty DATA_DIR from the image, with the same schema and migrations as a database migrated from scratch', async () => {
    const dataDir = path.join(work, 'fresh');
    const started = await openDatabase({ dataDir, databaseUrl: undefined }, { image });
    const scratch = await openPgliteDatabase();
    try {
      expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      expect(await migrate(started)).toEqual([]);
      await migrate(scratch);
      const [fromImage, fromScratch] = [await schemaOf(started), await schemaOf(scratch)];
      expect(fromImage.migrations.length).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
      expect(fromImage.columns.length).toBeGreaterThan(100);
      expect(fromImage).toEqual(fromScratch);
      expect(readdirSync(dataDir)).toEqual(['pglite']); // nothing left from unpacking
    } finally {
      await started.close();
      await scratch.close();
    }
  }, 180_000);

  it('applies migrations newer than the image after starting from it', async () => {
    const migrations = path.join(work, 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    writeFileSync(path.join(migrations, '999_newer.sql'), 'create table newer_than_image (id int primary key);\n');
    const dir = path.join(work, 'newer', 'pglite');
    expect(await restoreDatabaseImage(dir, image)).toBe(true);
    const db = await openPgliteDatabase(dir);
    try {
      expect(await migrate(db, migrations)).toEqual(['999_newer.sql']);
      expect((await db.query('select count(*)::int as n from newer_than_image')).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('never overwrites a DATA_DIR that holds a database or anything else, nor uses an image of another PGlite', async () => {
    const dataDir = path.join(work, 'kept');
    const first = await openDatabase({ dataDir, databaseUrl: undefined }, { image });
    try {
      await first.exec(`insert into schema_migrations (name, checksum) values ('zzz_marker', 'kept')`);
    } finally {
      await first.close();
    }
    expect(await restoreDatabaseImage(path.join(dataDir, 'pglite'), image)).toBe(false);
    const again = await openDatabase({ dataDir, databaseUrl: undefined }, { image });
    try {
      expect((await again.query(`select checksum from schema_migrations where name = 'zzz_marker'`)).rows).toEqual([{ checksum: 'kept' }]);
    } finally {
      await again.close();
    }

    const other = path.join(work, 'other', 'pglite');
    mkdirSync(other, { recursive: true });
    writeFileSync(path.join(other, 'notes.txt'), 'mine');
    expect(await restoreDatabaseImage(other, image)).toBe(false);
    expect(readdirSync(other)).toEqual(['notes.txt']);
    expect(readFileSync(path.join(other, 'notes.txt'), 'utf8')).toBe('mine');

    const foreign = path.join(work, 'foreign', 'embedded-database.tar.gz');
    mkdirSync(path.dirname(foreign), { recursive: true });
    copyFileSync(image, foreign);
    const stamp = JSON.parse(readFileSync(image.replace(/\.tar\.gz$/, '.json'), 'utf8')) as { pglite: string };
    writeFileSync(foreign.replace(/\.tar\.gz$/, '.json'), JSON.stringify({ ...stamp, pglite: '0.0.1' }));
    expect(await restoreDatabaseImage(path.join(work, 'foreign-data', 'pglite'), foreign)).toBe(false);
    expect(existsSync(path.join(work, 'foreign-data', 'pglite'))).toBe(false);
  }, 120_000);
});
