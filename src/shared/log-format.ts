import type { DestinationStream } from 'pino';

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Readable lines for a person at a terminal, JSON lines for machines: `auto` is pretty only
 * outside production and when stdout is a terminal (not when piped to a file or a collector).
 */
export function wantsPretty(format: LogFormat, env: string, stdoutIsTty: boolean): boolean {
  if (format !== 'auto') return format === 'pretty';
  return env !== 'production' && stdoutIsTty;
}

/**
 * pino-pretty as a stream, when it is installed: it is a development dependency, so a production
 * install (npm ci --omit=dev) does not have it, and then the logs simply stay JSON.
 */
export async function prettyDestination(): Promise<DestinationStream | undefined> {
  // A variable specifier: the build must not need the module (nor its types) to exist.
  const name = 'pino-pretty';
  try {
    const mod = (await import(name)) as { default: (options: Record<string, unknown>) => DestinationStream };
    return mod.default({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true });
  } catch {
    return undefined;
  }
}

export interface BannerFacts {
  publicUrl: string;
  database: string;
  dataDir: string;
  demo: boolean;
  adminApi: boolean;
}

/** The lines a newcomer sees first after `npm start`: where to open Pathwise and what is on. */
export function startupBanner(f: BannerFacts): string {
  const open = f.demo ? `${f.publicUrl}/  (the demo LMS is on: try Pathwise as a teacher or a student)` : `${f.publicUrl}/`;
  const lines = [
    '',
    '  Pathwise is running.',
    '',
    `  Open      ${open}`,
    `  Database  ${f.database === 'embedded' ? `embedded, in ${f.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}`,
    `  Admin API ${f.adminApi ? 'on' : 'off (set ADMIN_TOKEN to turn it on)'}`,
    '  Stop      Ctrl+C',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
