import { AppError, type ErrorKind } from '../../shared/errors.js';

const RELAUNCH = 'Go back to your course and open Pathwise again. If it keeps happening, tell your administrator and give them the reference below.';

/** A refused launch or login: stable code, plain message, a next step. Defaults suit most launch refusals. */
export function launchError(code: string, message: string, options: { kind?: ErrorKind; help?: string; cause?: unknown } = {}): AppError {
  return new AppError(code, message, { kind: options.kind ?? 'unauthenticated', help: options.help ?? RELAUNCH, cause: options.cause });
}

/**
 * Not a failure: the browser sent no state cookie (third-party cookies blocked) but the login stored
 * state and nonce in platform storage, https://www.imsglobal.org/spec/lti-cs-oidc/v0p1 . The web layer
 * answers with a page that reads them back and re-posts the launch.
 */
export class PlatformStorageRequired extends Error {
  override name = 'PlatformStorageRequired';
  constructor(
    readonly storageTarget: string,
    readonly platformOrigin: string,
  ) {
    super('platform storage required');
  }
}
