import { createHash } from 'node:crypto';

// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * The stable pseudonym teachers see for a student when names are not kept (privacy.storeNames
 * false): "P-" and five characters derived from Pathwise's internal user id, the same on every
 * page and every visit, and neither the LMS user id nor anything the LMS can look up.
 */
export function pseudonym(userId: string): string {
  const bytes = createHash('sha256').update(`pathwise-pseudonym:${userId}`).digest();
  let code = '';
  for (let i = 0; i < 5; i++) code += ALPHABET[bytes[i]! % ALPHABET.length];
  return `P-${code}`;
}
