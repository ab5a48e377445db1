import type { Config } from '../../src/config/schema.js';
import { loadConfig } from '../../src/config/load.js';
import { compose, type Pathwise } from '../../src/main.js';
import { createTestDatabase } from './database.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Test config: defaults + config/test.json, with overrides (nested objects are merged). */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({
    env: { NODE_ENV: 'test' },
    overrides: { publicUrl: 'http://127.0.0.1:3999', adminToken: TEST_ADMIN_TOKEN, dataDir: './data-test', ...overrides },
  });
}

/** A whole Pathwise (app + services) on a fresh database. Call close() in afterAll. */
export async function createTestPathwise(overrides: Record<string, unknown> = {}): Promise<Pathwise> {
  const db = await createTestDatabase();
  return compose(testConfig(overrides), { db });
}
