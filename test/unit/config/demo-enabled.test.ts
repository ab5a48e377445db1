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
    expect(enabled({ NODE_ENV: 'staging', DEMO_LMS: 'true', PUBLIC_URL: 'https://pathwise.example.org' })).toBe(true);
    expect(enabled({ NODE_ENV: 'development', DEMO_LMS: 'false' })).toBe(false);
    expect(() => enabled({ DEMO_LMS: 'maybe' })).toThrow(/DEMO_LMS \(demo\.enabled\)/);
  });

  it('refuses to start with the demo in production, naming DEMO_LMS', () => {
    expect(() => enabled({ NODE_ENV: 'production', DEMO_LMS: 'true' })).toThrow(/DEMO_LMS \(demo\.enabled\): the demo LMS cannot run in production/);
    expect(() => loadConfig({ env: { NODE_ENV: 'production', PUBLIC_URL: 'https://p.example.org' }, overrides: { demo: { enabled: true } } })).toThrow(
      /cannot run in production/,
    );
    expect(enabled({ NODE_ENV: 'production', DEMO_LMS: 'false' })).toBe(false);
  });

  it('auto: only when PUBLIC_URL is a loopback address (localhost or 127.0.0.1)', () => {
    expect(enabled({ PUBLIC_URL: 'http://127.0.0.1:3000' })).toBe(true);
    expect(enabled({ PUBLIC_URL: 'http://localhost:8080' })).toBe(true);
    expect(enabled({ PUBLIC_URL: 'http://[::1]:3000' })).toBe(true);
    expect(enabled({ PUBLIC_URL: 'https://pathwise.example.org' })).toBe(false);
    expect(enabled({ PUBLIC_URL: 'http://192.168.1.20:3000' })).toBe(false);
    expect(enabled({ PUBLIC_URL: 'http://localhost.example.org' })).toBe(false);
  });
});
