import request from 'supertest';
import type { Response } from 'supertest';
import type { Pathwise } from '../../src/main.js';
import type { Item } from '../../src/learning/items/item-schema.js';
import linearEquations from '../../src/learning/samples/linear-equations.json' with { type: 'json' };
import type { FakePlatform } from '../support/fake-platform.js';
import { launch, type LaunchOptions } from '../support/lti-flow.js';

/** Imports the sample unit "Linear equations" and points the course's resource link at it. */
export async function placeSampleUnit(pw: Pathwise, resourceLinkId = 'link-1'): Promise<string> {
  const [unit] = await pw.ctx.learning.importUnits(linearEquations);
  await pw.ctx.db.query(`update placements set unit_id = $1 where resource_link_id = $2`, [unit!.id, resourceLinkId]);
  return unit!.id;
}

/** A launched student (or teacher) and a small client that carries the URL session token, no cookie. */
export async function launchAs(pw: Pathwise, fake: FakePlatform, opts: LaunchOptions = {}) {
  const r = await launch(pw, fake, { role: 'student', follow: false, ...opts });
  if (!r.sessionToken) throw new Error(`launch failed: ${r.response?.status} ${r.response?.text?.slice(0, 200)}`);
  const token = r.sessionToken;
  const withSession = (path: string) => `${path}${path.includes('?') ? '&' : '?'}session=${token}`;
  let csrf = '';
  const client = {
    token,
    get csrf() {
      return csrf;
    },
    async get(path: string): Promise<Response> {
      const res = await request(pw.app).get(withSession(path));
      const m = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
      if (m) csrf = m[1]!;
      return res;
    },
    /** Posts a form with the session token and (unless overridden) this session's CSRF token. */
    post(path: string, fields: Record<string, string | string[]> = {}): Promise<Response> {
      return request(pw.app)
        .post(path)
        .type('form')
        .send({ session: token, _csrf: csrf, ...fields });
    },
  };
  return client;
}

export type StudentClient = Awaited<ReturnType<typeof launchAs>>;

/** The form fields answering an attempt's items, all right or all wrong. */
export function answerFields(items: readonly Item[], right: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const item of items) {
    const f = `answer-${item.id}`;
    switch (item.type) {
      case 'single_choice':
        out[f] = right ? item.correctOptionId : item.options.find((o) => o.id !== item.correctOptionId)!.id;
        break;
      case 'multiple_select':
        out[f] = right ? [...item.correctOptionIds] : item.options.filter((o) => !item.correctOptionIds.includes(o.id)).map((o) => o.id);
        break;
      case 'numeric':
        out[f] = String(right ? item.answer : item.answer + item.tolerance + 1000);
        break;
      case 'short_text':
        out[f] = right ? item.accept[0]! : 'zzz not it';
        break;
    }
  }
  return out;
}

/** The items (with keys) drawn for an attempt, read from the store as only a test may. */
export async function attemptItems(pw: Pathwise, attemptId: string): Promise<Item[]> {
  const { rows } = await pw.ctx.db.query<{ items: Item[] }>('select items from attempts where id = $1', [attemptId]);
  return rows[0]!.items;
}

/** The attempt id a redirect to /student/attempts/<id> names. */
export function attemptIdFrom(res: Response): string {
  const m = /\/student\/attempts\/([0-9a-f-]{36})/.exec(res.headers.location ?? '');
  if (!m) throw new Error(`no attempt in ${res.status} ${res.headers.location ?? res.text?.slice(0, 300)}`);
  return m[1]!;
}
