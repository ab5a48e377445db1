import type { Config } from '../config/schema.js';
import type { Database } from '../store/database.js';
import type { Logger } from '../shared/logger.js';

/**
 * What the web layer is given. main.ts builds it; tests build it with the same function.
 * Each area adds the use cases it needs here.
 */
export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  /** Origins of registered platforms, for frame-ancestors and form-action. */
  platformOrigins(): Promise<string[]>;
}
