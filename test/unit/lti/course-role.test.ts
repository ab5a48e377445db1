import { describe, expect, it } from 'vitest';
import { courseRole, rememberedRoleSets, type CourseRole } from '../../../src/lti/course-role.js';

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const MS = 'http://purl.imsglobal.org/vocab/lis/v2/membership/';
const I = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const S = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

type Row = [string, string[], CourseRole['role'], boolean, CourseRole['title']];

// Role sets as the LMSs send them in id_tokens and NRPS (Canvas adds institution and system roles
// from what a person is anywhere in the account; Moodle sends context roles, also as short names).
const TABLE: Row[] = [
  ['Canvas teacher', [`${M}Instructor`, `${I}Instructor`, `${S}User`], 'teacher', false, 'instructor'],
  ['Canvas student', [`${M}Learner`, `${I}Student`, `${S}User`], 'student', false, 'learner'],
  ['Canvas student who teaches another course', [`${M}Learner`, `${I}Instructor`, `${I}Student`, `${S}User`], 'student', false, 'learner'],
  ['Canvas TA', [`${M}Instructor`, `${MS}Instructor#TeachingAssistant`, `${I}Student`, `${S}User`], 'teacher', false, 'teachingAssistant'],
  ['Canvas designer', [`${M}ContentDeveloper`, `${I}Instructor`, `${S}User`], 'teacher', false, 'contentDeveloper'],
  ['Canvas observer', [`${M}Mentor`, `${S}User`], 'none', false, 'mentor'],
  ['Canvas observer as non-credit learner', [`${MS}Learner#NonCreditLearner`, `${M}Mentor`], 'none', false, 'mentor'],
  ['Canvas account admin, not in the course', [`${I}Administrator`, `${S}User`], 'none', true, null],
  ['Canvas site admin, not in the course', [`${S}SysAdmin`, `${S}User`], 'none', true, null],
  ['Canvas account admin who teaches the course', [`${M}Instructor`, `${I}Administrator`, `${S}User`], 'teacher', true, 'instructor'],
  ['Canvas account admin enrolled as a student', [`${M}Learner`, `${I}Administrator`], 'student', false, 'learner'],
  ['Canvas student view (test student)', [`${M}Learner`, 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser'], 'student', false, 'learner'],
  ['Canvas institution instructor alone', [`${I}Instructor`, `${S}User`], 'none', false, null],
  ['Canvas LTI 1.1 TA URN', ['urn:lti:role:ims/lis/TeachingAssistant'], 'teacher', false, 'teachingAssistant'],
  ['Moodle teacher', [`${M}Instructor`], 'teacher', false, 'instructor'],
  ['Moodle student', [`${M}Learner`], 'student', false, 'learner'],
  ['Moodle site admin', [`${I}Administrator`, `${M}Instructor`, `${S}Administrator`], 'teacher', true, 'instructor'],
  ['Moodle NRPS short teacher', ['Instructor'], 'teacher', false, 'instructor'],
  ['Moodle NRPS short learner', ['Learner'], 'student', false, 'learner'],
  ['Moodle NRPS short TA', ['Instructor#TeachingAssistant'], 'teacher', false, 'teachingAssistant'],
  ['Moodle LTI 1.1 learner URN', ['urn:lti:role:ims/lis/Learner'], 'student', false, 'learner'],
  ['Moodle LTI 1.1 admin URNs', ['urn:lti:sysrole:ims/lis/Administrator', 'urn:lti:instrole:ims/lis/Administrator'], 'none', true, null],
  ['Schoology course admin', [`${M}Instructor`, `${I}Faculty`], 'teacher', false, 'instructor'],
  ['Schoology student', [`${M}Learner`, `${I}Student`], 'student', false, 'learner'],
  ['Schoology faculty taking a course', [`${M}Learner`, `${I}Faculty`], 'student', false, 'learner'],
  ['Schoology school admin, not in the course', [`${I}Administrator`], 'none', true, null],
  ['context administrator (short name)', ['Administrator'], 'teacher', false, 'administrator'],
  ['learner and instructor in one course: learner wins', [`${M}Instructor`, `${M}Learner`], 'student', false, 'learner'],
  ['sub-role written membership#Role#Sub', [`${M}Instructor#TeachingAssistant`], 'teacher', false, 'teachingAssistant'],
  ['no roles (anonymous launch)', [], 'none', false, null],
  ['unknown custom role', ['https://example.org/roles#Principal'], 'none', false, null],
];

describe('courseRole', () => {
  it.each(TABLE)('%s', (_name, roles, role, platformAdmin, title) => {
    expect(courseRole(roles)).toEqual({ role, platformAdmin, title });
  });

  it('decides a role set once: the same roles again give the same frozen decision', () => {
    const first = courseRole([`${M}Instructor`, `${I}Administrator`]);
    const again = courseRole([`${M}Instructor`, `${I}Administrator`]);
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual({ role: 'teacher', platformAdmin: true, title: 'instructor' });
  });

  it('remembers role sets by their exact roles: a role holding a separator is not two roles', () => {
    expect(courseRole([`${M}Learner`, `${M}Instructor`]).role).toBe('student');
    expect(courseRole([`${M}Learner,${M}Instructor`]).role).toBe('none');
    expect(courseRole([`${M}Learner\n${M}Instructor`]).role).toBe('none');
    expect(courseRole([`${M}Instructor`]).role).toBe('teacher');
    expect(courseRole([`${M}Instructor`, '']).role).toBe('teacher');
  });

  it('remembers a bounded number of role sets however many a platform sends', () => {
    for (let i = 0; i < 2000; i++) expect(courseRole([`https://example.org/roles#Custom${i}`, `${M}Learner`]).role).toBe('student');
    expect(rememberedRoleSets()).toBeLessThanOrEqual(512);
    // Decisions still right after the oldest were dropped.
    expect(courseRole([`https://example.org/roles#Custom0`, `${M}Instructor`]).role).toBe('teacher');
    expect(courseRole([`https://example.org/roles#Custom1999`, `${M}Learner`]).role).toBe('student');
  });

  it('never makes an institution or system role a course teacher on its own', () => {
    for (const r of ['Instructor', 'Faculty', 'Administrator', 'Staff', 'Mentor']) {
      expect(courseRole([`${I}${r}`]).role).toBe('none');
      expect(courseRole([`${S}${r}`]).role).toBe('none');
    }
  });
});
