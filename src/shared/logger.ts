import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Secrets never reach it: anything that looks like a token, key or
 * id_token is redacted, and request URLs are logged without their query strings. JSON lines go to
 * stdout unless a `destination` is given (pino-pretty in development, see log-format.ts).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
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
  };
  return destination ? pino(options, destination) : pino(options);
}
