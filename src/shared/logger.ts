import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Secrets never reach it: anything that looks like a token, key or
 * id_token is redacted, and request URLs are logged without their query strings.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        '*.authorization',
        '*.cookie',
        '*.id_token',
        '*.token',
        '*.privateKey',
        '*.private_jwk',
        '*.d',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
