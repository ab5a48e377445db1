import { createHash } from 'node:crypto';

/**
 * The one pseudonym Pathwise shows for a person when names are not stored (privacy.storeNames
 * off): the first six hex digits of SHA-256 of their Pathwise user id, upper case. Pages show it
 * as "Student 3FA9C2" through the i18n catalog (pseudonym.person); the database computes the same
 * code (PSEUDONYM_SQL in store/class-list-repository.ts) so teachers can search and sort by it. The
 * user id is a random UUID, so the code reveals nothing about the person or their LMS account, and
 * it is the same on every page and every visit.
 */
export function pseudonymCode(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 6).toUpperCase();
}
