import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS } from '../../../src/privacy/inventory.js';
import type { Database } from '../../../src/store/database.js';
import { userReferences } from '../../../src/store/user-references.js';
import en from '../../../src/web/i18n/locales/en.json' with { type: 'json' };
import es from '../../../src/web/i18n/locales/es.json' with { type: 'json' };
import { createTestDatabase } from '../../support/database.js';

/** Column names that hold personal data wherever they appear: ids of people, names, contact, what a person wrote. */
const PERSONAL_NAME =
  /^(sub|user_id|.*_user_id|actor_.*|subject_ref|created_by|resolved_by|withdrawn_by|name|given_name|family_name|.*_name|email|phone|.*address|ip|locale|roles|interests|preferred_modalities|text|message|reason|comment|answer|answers|what_helped|confidence|launch)$/;

/**
 * Columns that a rule above (or a table about a person) flags but that are not personal, or are
 * part of a listed column named in the reason. A new column lands here only with a reason;
 * anything else must be in the inventory.
 */
const NOT_PERSONAL: Record<string, string> = {
  'platforms.name': 'the LMS registration’s name',
  'deployments.name': 'a school or district name from the LMS',
  'demo_lms_keys.private_jwk': 'the demo LMS’s own key',
  'admin_sessions.id': 'a random session token',
  'admin_sign_in_failures.failures': 'a count',
  'pfa_weights.answers': 'how many answers a unit’s weights were fitted from, over all its students (an aggregate)',
  'admin_sessions.locale': 'the console language (an admin preference, deleted with the session)',
  'admin_tickets.id': 'a one-time random ticket',
  'admin_tickets.locale': 'the console language for the ticket',
  'sessions.id': 'a random session token',
  'sessions.message_type': 'the LTI message type',
  'sessions.roles': 'the launch’s roles, also kept in enrollments.roles',
  'sessions.locale': 'the launch’s locale, also kept in users.locale',
  'attempts.competency_id': 'a competency of the unit (course content)',
  'attempts.pathway_id': 'a pathway of the unit (course content)',
  'attempts.pathway_modalities': 'the modalities of that pathway (course content)',
  'attempts.item_ids': 'which items of the bank were drawn (course content)',
  'attempts.items': 'the drawn items with their keys (course content, server only)',
  'attempts.status': 'in progress, submitted or expired',
  'attempts.result': 'the score breakdown of attempts.score',
  'competency_waivers.competency_id': 'course content',
  'help_requests.competency_id': 'course content',
  'help_requests.status': 'open or resolved',
  'learner_goals.status': 'active, done or dropped',
  'mastery_current.competency_id': 'course content',
  'mastery_current.calculated_level': 'the level before an override: part of mastery_current.level',
  'mastery_current.method': 'the course’s calculation method',
  'mastery_history.competency_id': 'course content',
  'mastery_history.calculated_level': 'part of mastery_history.level',
  'mastery_history.cause': 'what changed the level (attempt, override, decay)',
  'mastery_overrides.competency_id': 'course content',
  'mastery_overrides.level': 'part of mastery_current.level',
  'mastery_overrides.level_before': 'part of mastery_history.level',
  'mastery_overrides.level_after': 'part of mastery_history.level',
  'mastery_overrides.level_after_withdrawal': 'part of mastery_history.level',
  'pathway_choices.competency_id': 'course content',
  'resource_marks.competency_id': 'course content',
  'resource_marks.pathway_id': 'course content',
  'reflections.competency_id': 'course content',
  'units.key': 'a unit’s key (course content)',
  'units.title': 'a unit title (course content)',
  'units.document': 'the unit itself (course content)',
  'grade_outbox.activity_progress': 'an AGS progress value',
  'grade_outbox.grading_progress': 'an AGS progress value',
  'grade_outbox.status': 'the delivery state',
  'grade_outbox.last_error': 'the LMS’s answer to a delivery (status and error code)',
  'grade_outbox.last_error_kind': 'which kind of failure that answer was (a fixed word such as line_item_gone)',
  'audit_log.actor_kind': 'operator, LMS administrator, teacher or job',
  'audit_log.action': 'what was done',
  'audit_log.target': 'ids of what was changed (a deployment id, a key id)',
  'audit_log.details': 'counts, ids and settings, never personal data (AuditLog.record)',
  'usage_daily.audience': 'students or teachers (counts only)',
  'demo_lms_scores.user_id': 'a made-up person of the built-in demo LMS (demo.enabled, off in production)',
  'demo_lms_scores.comment': 'the demo LMS’s copy of grade_outbox.comment for its made-up people',
  'demo_lms_scores.activity_progress': 'an AGS progress value',
  'demo_lms_scores.grading_progress': 'an AGS progress value',
  'courses.title': 'a course title from the LMS',
  'placements.title': 'an activity title from the LMS',
};

/** Tables about a person with nothing of their own in the inventory, each with why. */
const NOT_PERSONAL_TABLES: Record<string, string> = {
  units: 'course content; created_by only links the author (users.id)',
  demo_lms_scores: 'the built-in demo LMS’s made-up people (see NOT_PERSONAL)',
};

/** A column that refers to users(id) holds nothing but the id: the inventory's users.id covers it. */
const LINK = 'users.id';

interface Column {
  table: string;
  column: string;
  type: string;
}

describe('the data inventory lists every column of the database that holds personal data', () => {
  let db: Database;
  let columns: Column[];
  let personTables: Set<string>;
  let links: Set<string>;
  const listed = new Set(PERSONAL_FIELDS.map((f) => f.field));

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ rows: columns } = await db.query<Column>(
      `select c.table_name as table, c.column_name as column, c.data_type as type
         from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name <> 'schema_migrations'
        order by 1, c.ordinal_position`,
    ));
    // Tables about a person: a column refers to users(id), or names an LMS user by their id.
    const refs = await userReferences(db);
    links = new Set(refs.map((r) => `${r.table}.${r.column}`));
    personTables = new Set([...refs.map((r) => r.table), ...columns.filter((c) => /^(sub|user_id)$/.test(c.column)).map((c) => c.table)]);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Columns a rule calls personal: by name anywhere; by type (free text, documents, lists) in a table about a person. */
  const flagged = () =>
    columns
      .filter(
        (c) =>
          PERSONAL_NAME.test(c.column) ||
          (personTables.has(c.table) && c.table !== 'users' && ['text', 'jsonb', 'ARRAY'].includes(c.type) && !/(^id|_id|_hash|_url)$/.test(c.column)),
      )
      .map((c) => `${c.table}.${c.column}`);

  it('the catalog walk finds the tables it should (the rules are not vacuous)', () => {
    expect([...personTables]).toEqual(expect.arrayContaining(['users', 'attempts', 'reflections', 'grade_outbox', 'demo_lms_scores', 'admin_sessions']));
    expect(flagged()).toEqual(expect.arrayContaining(['users.email', 'responses.answer', 'reflections.what_helped', 'audit_log.ip']));
  });

  it('every personal column is in the inventory or explained as not personal', () => {
    expect(listed.has(LINK)).toBe(true);
    const missing = flagged().filter((f) => !listed.has(f) && !(f in NOT_PERSONAL) && !links.has(f));
    expect(missing, `add these to src/privacy/inventory.ts (and docs/privacy.md), or to NOT_PERSONAL with a reason`).toEqual([]);
  });

  it('every table that holds rows about a person has its personal columns in the inventory', () => {
    const tablesListed = new Set([...listed].map((f) => f.split('.')[0]));
    expect([...personTables].filter((t) => !tablesListed.has(t) && !(t in NOT_PERSONAL_TABLES)).sort()).toEqual([]);
    expect(Object.keys(NOT_PERSONAL_TABLES).filter((t) => tablesListed.has(t))).toEqual([]);
  });

  it('names only columns that exist, and nothing twice', () => {
    const existing = new Set(columns.map((c) => `${c.table}.${c.column}`));
    expect([...listed].filter((f) => !existing.has(f))).toEqual([]);
    expect(Object.keys(NOT_PERSONAL).filter((f) => !existing.has(f))).toEqual([]);
    expect(listed.size).toBe(PERSONAL_FIELDS.length);
    expect(Object.keys(NOT_PERSONAL).filter((f) => listed.has(f))).toEqual([]);
  });

  it('every reason, source, period and audience has its text in English and Spanish', () => {
    const catalogs = [en, es] as Record<string, string>[];
    for (const f of PERSONAL_FIELDS) {
      for (const key of [`privacy.why.${f.why}`, `privacy.source.${f.source}`, `privacy.kept.${f.kept}`, `privacy.who.${f.who}`]) {
        for (const c of catalogs) expect(c[key], `${f.field}: ${key}`).toBeTruthy();
      }
    }
  });
});
