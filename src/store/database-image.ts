import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { migrate, migrationChecksum, MIGRATIONS_DIR } from './migrate.js';
import { openPgliteDatabase } from './pglite-database.js';

/**
 * A migrated, empty embedded database, made by `npm run build` (dist/store/embedded-database.tar.gz),
 * so that a first start on an empty DATA_DIR unpacks it instead of running initdb and every
 * migration in WebAssembly (docs/performance.md: most of a first start's time). Beside it, a
 * stamp says which PGlite and which migrations made it. Never used with DATABASE_URL.
 */
export const DATABASE_IMAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'embedded-database.tar.gz');

interface ImageStamp {
  pglite: string;
  migrations: { name: string; checksum: string }[];
}

const stampFile = (image: string) => image.replace(/\.tar\.gz$/, '') + '.json';

/** The installed PGlite's version: a data directory is only portable between the same builds of it. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function currentStamp(migrationsDir: string): ImageStamp {
  const migrations = readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, checksum: migrationChecksum(readFileSync(path.join(migrationsDir, name), 'utf8')) }));
  return { pglite: pgliteVersion(), migrations };
}

function readStamp(image: string): ImageStamp | undefined {
  try {
    return JSON.parse(readFileSync(stampFile(image), 'utf8')) as ImageStamp;
  } catch {
    return undefined;
  }
}

/** Whether `image` exists and was made by the installed PGlite from exactly these migrations. */
export function imageIsCurrent(image: string, migrationsDir = MIGRATIONS_DIR): boolean {
  return existsSync(image) && JSON.stringify(readStamp(image)) === JSON.stringify(currentStamp(migrationsDir));
}

/**
 * Makes the image: a new data directory (initdb), every migration, a clean shutdown, then a
 * gzipped tarball of the directory. Skipped when an image made by the same PGlite from the same
 * migrations is already there (so `npm start`, which builds first, pays for it once).
 */
export async function buildDatabaseImage(image = DATABASE_IMAGE, migrationsDir = MIGRATIONS_DIR): Promise<{ built: boolean }> {
  if (imageIsCurrent(image, migrationsDir)) return { built: false };
  const stamp = currentStamp(migrationsDir);
  const work = mkdtempSync(path.join(tmpdir(), 'pathwise-image-'));
  try {
    const dataDir = path.join(work, 'pglite');
    const db = await openPgliteDatabase(dataDir);
    try {
      await migrate(db, migrationsDir);
    } finally {
      await db.close();
    }
    mkdirSync(path.dirname(image), { recursive: true });
    const partial = `${image}.partial`;
    const tar = await import('tar');
    await tar.create({ gzip: true, file: partial, cwd: dataDir, portable: true }, readdirSync(dataDir));
    renameSync(partial, image);
    writeFileSync(stampFile(image), JSON.stringify(stamp, null, 2) + '\n');
    return { built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Unpacks in a short-lived child process: unpacking 40 MB here left ~60 MiB of buffers resident
 * in the server process for good (measured), against the 250 MiB budget.
 */
async function unpackInChild(image: string, into: string): Promise<void> {
  const entry = createRequire(import.meta.url).resolve('tar');
  const script = 'require(process.argv[1]).extract({ file: process.argv[2], cwd: process.argv[3], sync: true, strict: true });';
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, entry, image, into], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`unpacking the embedded database image failed: ${err}`))));
  });
}

/**
 * Unpacks the image into `dir` when `dir` holds no database yet; returns whether it did. A
 * directory with anything in it is never touched, nor is an image made by another PGlite. The
 * image is unpacked beside `dir` and then renamed into place, so an interrupted first start
 * leaves no half database behind.
 */
export async function restoreDatabaseImage(dir: string, image = DATABASE_IMAGE): Promise<boolean> {
  if (!existsSync(image) || readStamp(image)?.pglite !== pgliteVersion()) return false;
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  const unpacking = `${dir}.unpacking-${process.pid}`;
  rmSync(unpacking, { recursive: true, force: true });
  mkdirSync(unpacking, { recursive: true });
  try {
    await unpackInChild(image, unpacking);
    if (existsSync(dir)) rmdirSync(dir); // empty (checked above)
    renameSync(unpacking, dir);
  } catch (err) {
    rmSync(unpacking, { recursive: true, force: true });
    throw err;
  }
  return true;
}

// `npm run build` runs this file after compiling.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  buildDatabaseImage().then(
    ({ built }) => {
      process.stdout.write(
        built
          ? `embedded database image: ${path.relative(process.cwd(), DATABASE_IMAGE)} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`
          : 'embedded database image: up to date\n',
      );
    },
    (err: unknown) => {
      process.stderr.write(`building the embedded database image failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
