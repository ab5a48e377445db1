import { launchError } from '../errors.js';
import type { LaunchCheck } from '../pipeline.js';

const ASK_ADMIN = 'Ask your administrator to register Pathwise in this LMS (or check its client id).';

/**
 * `iss` must be a registered platform and `aud` must contain our client_id for it; with several
 * audiences `azp` is required and must be our client_id.
 * https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation (items 2–4)
 */
export const checkIssuerAndAudience: LaunchCheck = async (launch, deps) => {
  const { iss, aud, azp } = launch.claims;
  const candidates = typeof iss === 'string' ? await deps.platforms.findByIssuer(iss) : [];
  if (candidates.length === 0) {
    throw launchError('unknown_platform', 'This LMS is not registered with Pathwise.', { kind: 'invalid', help: ASK_ADMIN });
  }
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  const platform = candidates.find((p) => audiences.includes(p.clientId));
  if (!platform) {
    throw launchError('invalid_audience', 'The launch was meant for another tool (its audience is not our client id).', { help: ASK_ADMIN });
  }
  // Counted as sent: an entry that is not a string is still another audience.
  const listed = Array.isArray(aud) ? aud.length : 1;
  if ((listed > 1 || azp !== undefined) && azp !== platform.clientId) {
    throw launchError('invalid_azp', 'The launch names several audiences but not Pathwise as the authorized party (azp).', { help: ASK_ADMIN });
  }
  launch.platform = platform;
};
