/**
 * The one error family. `code` is stable (tests and API clients rely on it), `kind` says what
 * sort of failure it is (the web layer maps kinds to HTTP statuses), `expose` says whether the
 * message may be shown to the user, and `help` is a plain-language next step.
 */
export type ErrorKind =
  | 'invalid' // bad input
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable' // a dependency (database, platform) is down
  | 'internal';

export interface AppErrorOptions {
  kind: ErrorKind;
  help?: string;
  expose?: boolean;
  cause?: unknown;
  details?: unknown;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly expose: boolean;
  readonly help: string | undefined;
  readonly details: unknown;

  constructor(code: string, message: string, options: AppErrorOptions) {
    super(message, { cause: options.cause });
    this.code = code;
    this.kind = options.kind;
    this.expose = options.expose ?? options.kind !== 'internal';
    this.help = options.help;
    this.details = options.details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export const invalid = (code: string, message: string, help?: string, details?: unknown) => new AppError(code, message, { kind: 'invalid', help, details });

export const notFound = (code: string, message: string, help?: string) => new AppError(code, message, { kind: 'not_found', help });

export const forbidden = (code: string, message: string, help?: string) => new AppError(code, message, { kind: 'forbidden', help });

export const conflict = (code: string, message: string, help?: string) => new AppError(code, message, { kind: 'conflict', help });
