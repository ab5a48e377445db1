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
  // PostgreSQL's jsonb and was a 500. JSON.stringify escapes lone surrogates only.
  if (/\\u[dD][89a-fA-F][0-9a-fA-F]{2}/.test(JSON.stringify([launch.header, launch.claims]))) {
    throw launchError('invalid_token', 'The launch did not carry a readable id_token.', { kind: 'invalid' });
  }
};
