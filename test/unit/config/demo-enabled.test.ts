import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

const enabled = (env: Record<string, string>) => loadConfig({ env: { PUBLIC_URL: 'http://localhost:3000', ...env } }).demo.enabled;

describe('demo.enabled', () => {
  it('is on by default with the embedded database outside production', () => {
    expect(enabled({ NODE_ENV: 'development' })).toBe(true);
    expect(enabled({})).toBe(true);
  });

  it('is off by default on a PostgreSQL server, in production and in tests', () => {
    expect(enabled({ NODE_ENV: 'development', DATABASE_URL: 'postgres://db.example/pathwise' })).toBe(false);
    expect(enabled({ NODE_ENV: 'production' })).toBe(false);
    expect(enabled({ NODE_ENV: 'test' })).toBe(false);
  });

  it('follows DEMO_LMS when it is set', () => {
    expect(enabled({ NODE_ENV: 'production', DEMO_LMS: 'true' })).toBe(true);
    expect(enabled({ NODE_ENV: 'development', DEMO_LMS: 'false' })).toBe(false);
    expect(() => enabled({ DEMO_LMS: 'maybe' })).toThrow(/DEMO_LMS \(demo\.enabled\)/);
  });
});
