import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseRole } from '../../../src/lti/course-role.js';
import { pseudonymCode } from '../../../src/privacy/pseudonym.js';
import { PSEUDONYM_SQL, ROLE_SQL } from '../../../src/store/class-list-repository.js';
import type { Database } from '../../../src/store/database.js';
import { createTestDatabase } from '../../support/database.js';

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const I = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person';

/** Role sets as LMSs send them: URIs, short names, sub-roles in both spellings, LTI 1.1 URNs. */
const ROLE_SETS: string[][] = [
  [`${M}#Learner`],
  ['Learner'],
  [`${M}#Learner`, `${I}#Instructor`],
  [`${M}#Instructor`, `${M}#Learner`],
  [`${M}#Instructor`],
  ['Instructor'],
  [`${M}/Instructor#TeachingAssistant`],
  [`${M}#Instructor#TeachingAssistant`],
  ['urn:lti:role:ims/lis/TeachingAssistant'],
  ['urn:lti:role:ims/lis/Learner'],
  [`${M}#ContentDeveloper`],
  [`${M}#Administrator`],
  [`${I}#Administrator`],
  [`${I}#Instructor`],
  [`${M}#Mentor`],
  [`${M}#Mentor`, `${M}/Learner#NonCreditLearner`],
  [`${M}#Mentor`, `${M}#Learner`],
  [`${M}/Learner#NonCreditLearner`],
  [],
];

describe('Class list SQL agrees with the code it mirrors', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('ROLE_SQL decides every role set as courseRole() does (Learner wins, observers are not learners)', async () => {
    for (const roles of ROLE_SETS) {
      const { rows } = await db.query<{ role: string }>(`select ${ROLE_SQL} as role from (select $1::text[] as roles) e`, [roles]);
      const decided = courseRole(roles);
      const expected = decided.role === 'student' ? 'learner' : (decided.title ?? 'other');
      expect([roles, rows[0]!.role]).toEqual([roles, expected]);
    }
  });

  it('PSEUDONYM_SQL is the same code as pseudonymCode()', async () => {
    const ids = ['0b8f3f0e-6a52-4d0b-9a55-2b1c3f1e9d11', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'];
    const { rows } = await db.query<{ code: string }>(`select ${PSEUDONYM_SQL} as code from unnest($1::uuid[]) with ordinality as u(id, n) order by n`, [ids]);
    expect(rows.map((r) => r.code)).toEqual(ids.map(pseudonymCode));
  });
});
