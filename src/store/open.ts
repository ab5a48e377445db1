import path from 'node:path';
import type { Config } from '../config/schema.js';
import type { Database } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openServerDatabase } from './server-database.js';
import { migrate } from './migrate.js';

/** Opens the configured database (server when DATABASE_URL is set, else embedded in DATA_DIR) and migrates it. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  const db = config.databaseUrl ? await openServerDatabase(config.databaseUrl) : await openPgliteDatabase(path.resolve(config.dataDir, 'pglite'));
  await migrate(db);
  return db;
}
