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
  /**
   * Values for the catalog's text of this code (errors.<code>.message / .help), e.g. an HTTP
   * status or which of a code's cases it is (`variant`). Never a platform's or a person's own words.
   */
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly expose: boolean;
  readonly help: string | undefined;
  readonly details: unknown;
  readonly params: Record<string, string | number> | undefined;

  constructor(code: string, message: string, options: AppErrorOptions) {
    super(message, { cause: options.cause });
    this.code = code;
    this.kind = options.kind;
    this.expose = options.expose ?? options.kind !== 'internal';
    this.help = options.help;
    this.details = options.details;
    this.params = options.params;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

type Params = AppErrorOptions['params'];

export const invalid = (code: string, message: string, help?: string, details?: unknown, params?: Params) =>
  new AppError(code, message, { kind: 'invalid', help, details, params });

export const notFound = (code: string, message: string, help?: string, params?: Params) => new AppError(code, message, { kind: 'not_found', help, params });

export const forbidden = (code: string, message: string, help?: string, params?: Params) => new AppError(code, message, { kind: 'forbidden', help, params });

export const conflict = (code: string, message: string, help?: string, params?: Params) => new AppError(code, message, { kind: 'conflict', help, params });
