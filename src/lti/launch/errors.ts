import { AppError, type ErrorKind } from '../../shared/errors.js';

const RELAUNCH = 'Go back to your course and open Pathwise again. If it keeps happening, tell your administrator and give them the reference below.';

/** A refused launch or login: stable code, plain message, a next step. Defaults suit most launch refusals. */
export function launchError(
  code: string,
  message: string,
  options: { kind?: ErrorKind; help?: string; cause?: unknown; params?: Record<string, string>; details?: unknown } = {},
): AppError {
  return new AppError(code, message, {
    kind: options.kind ?? 'unauthenticated',
    help: options.help ?? RELAUNCH,
    cause: options.cause,
    params: options.params,
    details: options.details,
  });
}

const CHECK_SETTINGS = 'Ask your administrator to check the LTI tool settings in the LMS.';

/**
 * A claim the message type requires is absent (or not of its type). It is named for a program
 * (`claim` in the JSON error) and in the page's text.
 */
export function missingClaim(claim: string): AppError {
  return launchError('missing_claim', `The launch is missing the claim ${claim}.`, {
    kind: 'invalid',
    help: CHECK_SETTINGS,
    params: { claim },
    details: { claim },
  });
}

/** A claim is present but its value breaks a rule of the spec (too long, wrong type). */
export function invalidClaim(claim: string, rule: string): AppError {
  return launchError('invalid_claim', `The launch claim ${claim} is not valid: ${rule}.`, {
    kind: 'invalid',
    help: CHECK_SETTINGS,
    params: { claim },
    details: { claim },
  });
}

/**
 * Not a failure: the launch came without the state cookie (third-party cookies blocked) and without
 * a storage proof. The web layer answers with a page that reads the proofs back from the tool's own
 * web storage and, when the login used it, LTI platform storage
 * (https://www.imsglobal.org/spec/lti-cs-oidc/v0p1), and posts the launch again with them.
 */
export class BrowserProofRequired extends Error {
  override name = 'BrowserProofRequired';
  constructor(
    readonly storageTarget: string | null,
    readonly platformOrigin: string,
  ) {
    super('browser proof required');
  }
}

/**
 * The page looked and found no proof: this browser keeps nothing for the tool in this frame. The
 * web layer offers to restart the login in a new tab (first-party there).
 */
export class BrowserStorageUnavailable extends Error {
  override name = 'BrowserStorageUnavailable';
  constructor(readonly state: string) {
    super('no browser storage for this launch');
  }
}
