import request from 'supertest';
import type { Pathwise } from '../../src/main.js';
import type { Item } from '../../src/learning/items/item-schema.js';
import { CLAIM } from '../../src/lti/claims.js';
import type { FakePlatform } from '../support/fake-platform.js';
import { launchAs } from './student-support.js';

/** Entities in pages come back HTML-escaped ("=" as &#x3D;). */
export const decode = (html: string) =>
  html
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");

/** A launched person with their own sub, name and (optionally) course. */
export function launchPerson(pw: Pathwise, fake: FakePlatform, role: 'teacher' | 'student', sub: string, name: string, courseId = 'course-1') {
  const [given, ...family] = name.split(' ');
  return launchAs(pw, fake, {
    role,
    claims: {
      sub,
      name,
      given_name: given,
      family_name: family.join(' '),
      email: `${sub}@school.example`,
      ...(courseId === 'course-1' ? {} : { [CLAIM.context]: { id: courseId, title: `Course ${courseId}` } }),
    },
  });
}

export async function userId(pw: Pathwise, sub: string): Promise<string> {
  const { rows } = await pw.ctx.db.query<{ id: string }>(`select id from users where sub = $1`, [sub]);
  return rows[0]!.id;
}

export async function courseRowId(pw: Pathwise, contextId: string): Promise<string> {
  const { rows } = await pw.ctx.db.query<{ id: string }>(`select id from courses where context_id = $1`, [contextId]);
  return rows[0]!.id;
}

/** The right (or a wrong) answer to an item, as the learning service takes it. */
export function answerFor(item: Item, right: boolean): unknown {
  switch (item.type) {
    case 'single_choice':
      return right ? item.correctOptionId : item.options.find((o) => o.id !== item.correctOptionId)!.id;
    case 'multiple_select':
      return right ? item.correctOptionIds : item.options.filter((o) => !item.correctOptionIds.includes(o.id)).map((o) => o.id);
    case 'numeric':
      return String(right ? item.answer : item.answer + item.tolerance + 1000);
    case 'short_text':
      return right ? item.accept[0] : 'zzz not it';
  }
}

/** A GET that accepts JSON errors (stable codes) with the session token in the URL. */
export const getJson = (pw: Pathwise, path: string, token: string) =>
  request(pw.app)
    .get(`${path}${path.includes('?') ? '&' : '?'}session=${token}`)
    .set('Accept', 'application/json');
