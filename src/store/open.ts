import path from 'node:path';
import type { Config } from '../config/schema.js';
import type { Database } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openPgliteWorkerDatabase } from './pglite-worker-database.js';
import { openServerDatabase } from './server-database.js';
import { migrate } from './migrate.js';
import { DATABASE_IMAGE, restoreDatabaseImage } from './database-image.js';

/**
 * Opens the configured database (server when DATABASE_URL is set, else embedded in DATA_DIR) and
 * migrates it. An embedded database's first start unpacks the build's migrated image (see
 * database-image.ts) when there is one; the migrations then still run and find nothing or only
 * newer files to apply.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'databasePreparedStatements' | 'embeddedDatabaseThread'>>,
  options: { image?: string } = {},
): Promise<Database> {
  let db: Database;
  if (config.databaseUrl) {
    db = await openServerDatabase(config.databaseUrl, { preparedStatements: config.databasePreparedStatements });
  } else {
    const dir = path.resolve(config.dataDir, 'pglite');
    await restoreDatabaseImage(dir, options.image ?? DATABASE_IMAGE);
    db = config.embeddedDatabaseThread === 'worker' ? await openPgliteWorkerDatabase(dir) : await openPgliteDatabase(dir);
  }
  await migrate(db);
  return db;
}
