import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema, type Config } from './schema.js';

/** A configuration value that stops start-up; the message names the setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Json, v) : v;
  }
  return out;
}

function readJson(file: string): Json {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(parsed)) throw new Error('not a JSON object');
    return parsed;
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
}

/** Env var name → config path. Secrets come from the environment, never from committed files. */
const ENV_MAP: Record<string, string[]> = {
  PORT: ['port'],
  PUBLIC_URL: ['publicUrl'],
  DATABASE_URL: ['databaseUrl'],
  DATABASE_PREPARED_STATEMENTS: ['databasePreparedStatements'],
  DATA_DIR: ['dataDir'],
  EMBEDDED_DATABASE_THREAD: ['embeddedDatabaseThread'],
  ADMIN_TOKEN: ['adminToken'],
  KEY_ENCRYPTION_KEY: ['keys', 'encryptionKey'],
  LOG_LEVEL: ['logLevel'],
  LOG_FORMAT: ['logFormat'],
  DEMO_LMS: ['demo', 'enabled'],
  LMS_ALLOW_PRIVATE_ADDRESSES: ['outbound', 'allowPrivateAddresses'],
};

function envOverrides(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  for (const [name, keyPath] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let node = out;
    keyPath.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Json));
    node[keyPath[keyPath.length - 1]!] = value;
  }
  return out;
}

function envNameFor(keyPath: PropertyKey[]): string {
  const joined = keyPath.join('.');
  const hit = Object.entries(ENV_MAP).find(([, p]) => p.join('.') === joined);
  return hit ? `${hit[0]} (${joined})` : joined;
}

/**
 * With only PORT set, a localhost public URL follows that port; otherwise Pathwise would tell
 * LMSs (and the demo LMS) to reach it on a port nobody listens on.
 */
function followPort(publicUrl: unknown, env: NodeJS.ProcessEnv): unknown {
  if (!env.PORT || env.PUBLIC_URL || typeof publicUrl !== 'string') return publicUrl;
  try {
    const url = new URL(publicUrl);
    if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') return publicUrl;
    url.port = env.PORT;
    return url.toString();
  } catch {
    return publicUrl;
  }
}

function deepFreeze<T>(o: T): T {
  if (isObject(o)) Object.values(o).forEach(deepFreeze);
  return Object.freeze(o);
}

/**
 * Loads config/default.json, then config/$NODE_ENV.json, then environment variables,
 * validates the result and freezes it. A bad value throws a ConfigError naming the setting.
 */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; dir?: string; overrides?: Json } = {}): Config {
  const env = options.env ?? process.env;
  const dir = options.dir ?? path.resolve('config');
  const nodeEnv = env.NODE_ENV || 'development';
  let raw = merge(readJson(path.join(dir, 'default.json')), readJson(path.join(dir, `${nodeEnv}.json`)));
  raw = merge(raw, envOverrides(env));
  raw = merge(raw, options.overrides ?? {});
  raw.publicUrl = followPort(raw.publicUrl, env);
  raw.env = nodeEnv;
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${envNameFor(i.path)}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return deepFreeze(result.data);
}
