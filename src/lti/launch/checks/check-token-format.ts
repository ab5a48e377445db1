import { decodeJwt, decodeProtectedHeader } from 'jose';
import { launchError } from '../errors.js';
import type { Claims, LaunchCheck } from '../pipeline.js';

/** Generous for real id_tokens (a few KB), small enough that garbage costs nothing to refuse. */
export const MAX_ID_TOKEN_LENGTH = 64 * 1024;

/** The id_token is a compact JWS with a JSON header and payload (decoded, not yet trusted). */
export const checkTokenFormat: LaunchCheck = (launch) => {
  const token = launch.input.idToken;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_ID_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    throw launchError('invalid_token', 'The launch did not carry a readable id_token.', { kind: 'invalid' });
  }
  try {
    launch.header = decodeProtectedHeader(token);
    launch.claims = decodeJwt(token) as Claims;
  } catch (cause) {
    throw launchError('invalid_token', 'The launch did not carry a readable id_token.', { kind: 'invalid', cause });
  }
  // JSON must be Unicode text (RFC 8259 §8.1): a lone surrogate ("\ud800") cannot be stored in
  // PostgreSQL's jsonb and was a 500; nor can NUL ("\u0000") in text or jsonb (a nonce of "\u0000"
  // was a 500 in the state check).
  if (holdsUnstorableText(launch.header) || holdsUnstorableText(launch.claims)) {
    throw launchError('invalid_token', 'The launch did not carry a readable id_token.', { kind: 'invalid' });
  }
};

// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether any key or string value holds NUL or a lone surrogate (or nests deeper than any LMS's claims do). */
function holdsUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (depth > 32) return true;
  for (const [key, inner] of Object.entries(value)) {
    if (UNSTORABLE.test(key) || holdsUnstorableText(inner, depth + 1)) return true;
  }
  return false;
}
