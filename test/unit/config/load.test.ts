import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

describe('loadConfig', () => {
  it('layers defaults, the environment file and env vars', () => {
    const config = loadConfig({ env: { NODE_ENV: 'test', PUBLIC_URL: 'https://pathwise.example.org/', LOG_LEVEL: 'warn' } });
    expect(config.publicUrl).toBe('https://pathwise.example.org');
    expect(config.logLevel).toBe('warn');
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('stops with a message naming the bad setting', () => {
    expect(() => loadConfig({ env: { NODE_ENV: 'test', PORT: 'abc' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: 'mysql://x' } })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ env: { NODE_ENV: 'test', ADMIN_TOKEN: 'short' } })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadConfig({ env: { NODE_ENV: 'test', EMBEDDED_DATABASE_THREAD: 'both' } })).toThrow(/EMBEDDED_DATABASE_THREAD/);
  });

  it('runs the embedded database on the request thread unless EMBEDDED_DATABASE_THREAD=worker', () => {
    expect(loadConfig({ env: { NODE_ENV: 'test' } }).embeddedDatabaseThread).toBe('main');
    expect(loadConfig({ env: { NODE_ENV: 'test', EMBEDDED_DATABASE_THREAD: 'worker' } }).embeddedDatabaseThread).toBe('worker');
  });

  it('moves a localhost public URL to PORT when only PORT is set', () => {
    expect(loadConfig({ env: { NODE_ENV: 'test', PORT: '4100' } }).publicUrl).toBe('http://localhost:4100');
    expect(loadConfig({ env: { NODE_ENV: 'test', PORT: '4100', PUBLIC_URL: 'https://lms-tools.example.org' } }).publicUrl).toBe(
      'https://lms-tools.example.org',
    );
  });

  it('config/default.json names every setting with its default (the README sends operators there for all of them)', () => {
    const leaves = (o: unknown, prefix = ''): string[] =>
      typeof o === 'object' && o !== null && !Array.isArray(o) ? Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
    const inFile = new Set(leaves(JSON.parse(readFileSync('config/default.json', 'utf8'))));
    // `env` is NODE_ENV itself; secrets (ADMIN_TOKEN, DATABASE_URL, KEY_ENCRYPTION_KEY) have no default and come from the environment.
    const settings = leaves(loadConfig({ env: { NODE_ENV: 'none' } })).filter((p) => p !== 'env');
    expect(settings.filter((p) => !inFile.has(p))).toEqual([]);
  });
});
