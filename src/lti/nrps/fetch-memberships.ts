import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { PlatformRecord } from '../../store/platform-repository.js';
import { MEDIA_TYPE, SCOPE } from '../claims.js';
import type { ServiceTokens } from '../services/access-token.js';
import { nextLink, parseMembershipPage, type RosterMember } from './membership.js';

export interface MembershipResult {
  /** One entry per user_id (a later page wins). */
  members: RosterMember[];
  pages: number;
  /** False when the page bound stopped the walk: absent members then say nothing. */
  complete: boolean;
}

function rosterFailed(message: string, details: Record<string, unknown>): AppError {
  return new AppError('roster_fetch_failed', message, {
    kind: 'unavailable',
    help: 'Try refreshing the roster later. If it keeps failing, check that the LMS registration allows roster access (Names and Roles).',
    details,
  });
}

/**
 * Reads every page of a course's membership: GET with the NRPS media type in Accept
 * (https://www.imsglobal.org/spec/lti-nrps/v2p0/#membership-container-media-type), following
 * `Link: <…>; rel="next"` (https://www.imsglobal.org/spec/lti-nrps/v2p0/#limit-query-parameter)
 * for at most `maxPages` pages. A next link to another origin is refused: it would carry our token away.
 */
export async function fetchMemberships(
  tokens: ServiceTokens,
  platform: PlatformRecord,
  url: string,
  options: { maxPages: number; logger?: Logger },
): Promise<MembershipResult> {
  const origin = new URL(url).origin;
  const byUser = new Map<string, RosterMember>();
  const visited = new Set<string>();
  let next: string | null = url;
  let pages = 0;
  let skipped = 0;
  while (next && pages < options.maxPages) {
    if (visited.has(next)) throw rosterFailed('The LMS sent a roster page link that loops.', { page: pages + 1 });
    if (new URL(next).origin !== origin) throw rosterFailed('The LMS sent a roster page link to another site.', { page: pages + 1 });
    visited.add(next);
    let res: Response;
    try {
      res = await tokens.fetch(platform, [SCOPE.nrpsContextMembershipReadOnly], next, {
        headers: { Accept: MEDIA_TYPE.membershipContainer },
      });
    } catch (err) {
      // Keep the roster's own code (and help text) when the LMS is down; token refusals keep theirs.
      if (err instanceof AppError && err.code === 'platform_unreachable') {
        throw rosterFailed('The LMS did not answer when Pathwise asked for the roster.', { page: pages + 1, unreachable: true });
      }
      throw err;
    }
    pages += 1;
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw rosterFailed(`The LMS answered ${res.status} when Pathwise asked for the roster.`, { status: res.status, page: pages });
    const page = parseMembershipPage(body);
    if (!page) throw rosterFailed('The LMS sent a roster Pathwise cannot read.', { page: pages });
    skipped += page.skipped;
    for (const m of page.members) byUser.set(m.userId, m);
    next = nextLink(res.headers.get('link'), next);
  }
  const complete = next === null;
  if (!complete || skipped > 0) {
    options.logger?.warn({ platformId: platform.id, pages, skipped, complete }, 'roster read partly');
  }
  return { members: [...byUser.values()], pages, complete };
}
