import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { loadConfig, ConfigError } from './config/load.js';
import type { Config } from './config/schema.js';
import { createLogger, type Logger } from './shared/logger.js';
import type { Database } from './store/database.js';
import { openDatabase } from './store/open.js';
import { createApp } from './web/app.js';
import type { AppContext } from './web/context.js';

export interface Pathwise {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
}

/** The one place that constructs everything. Tests call it with their own database. */
export async function compose(config: Config, options: { db?: Database; logger?: Logger } = {}): Promise<Pathwise> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? (await openDatabase(config));
  const ctx: AppContext = {
    config,
    db,
    logger,
    platformOrigins: async () => [],
  };
  const app = createApp(ctx);
  return {
    ctx,
    app,
    async close() {
      await db.close();
    },
  };
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const pathwise = await compose(config, { logger });
  const server: Server = pathwise.app.listen(config.port, () => {
    logger.info(
      { port: config.port, publicUrl: config.publicUrl, database: pathwise.ctx.db.kind },
      `Pathwise is listening on ${config.publicUrl}`,
    );
    if (!config.adminToken) {
      logger.warn('The admin API is off. Set ADMIN_TOKEN (16+ characters) to turn it on.');
    }
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      pathwise.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  start().catch((err: unknown) => {
    process.stderr.write(`Pathwise could not start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
