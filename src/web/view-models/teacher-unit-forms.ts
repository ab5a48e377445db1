import type { UnitProblem } from '../../learning/unit-import.js';
import { MODALITIES, type Competency, type Pathway, type UnitDocument } from '../../learning/unit-schema.js';
import { canonicalLanguageTag } from '../i18n/content-language.js';

/**
 * Editor forms ↔ unit documents. Each `apply…` returns a changed copy of the document (to be
 * validated whole with parseUnit) and the problems found reading the form, with their JSON paths.
 */
export type Form = Record<string, unknown>;
export type Edit = { doc: UnitDocument; problems: UnitProblem[] };

export const str = (f: Form, k: string): string =>
  typeof f[k] === 'string' ? (f[k] as string) : Array.isArray(f[k]) ? String((f[k] as unknown[])[0] ?? '') : '';
export const list = (f: Form, k: string): string[] =>
  (Array.isArray(f[k]) ? (f[k] as unknown[]) : f[k] === undefined ? [] : [f[k]]).filter((v): v is string => typeof v === 'string');
const clone = (d: UnitDocument): UnitDocument => structuredClone(d);

/**
 * A number from a form field; `percent` reads "80" as 0.8. Problems name the JSON path.
 * A percent field takes 0 or 1 < n <= 100: a value in (0, 1] is refused, since a teacher who types
 * 0.8 means 80 % (a fraction), and reading it as 0.8 % would make every check a pass.
 */
function num(f: Form, k: string, path: string, problems: UnitProblem[], percent = false): number | undefined {
  const raw = str(f, k).trim().replace(',', '.');
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    problems.push({ path, message: `"${raw}" is not a number` });
    return undefined;
  }
  if (!percent) return n;
  if (n > 0 && n <= 1) {
    problems.push({
      path,
      message: `"${raw}" looks like a fraction: enter a percent, e.g. 80`,
      messageKey: 'teacher.problem.percentFraction',
      vars: { value: raw },
    });
    return undefined;
  }
  if (n < 0 || n > 100) {
    problems.push({ path, message: `"${raw}" is not a percent from 0 to 100`, messageKey: 'teacher.problem.percentRange', vars: { value: raw } });
    return undefined;
  }
  return n / 100;
}

const isLanguageTag = (tag: string): boolean => canonicalLanguageTag(tag) !== undefined;

/**
 * The choices of a unit's content language: the languages Pathwise speaks, each named in itself
 * (marked with its own lang on the page), and the unit's own tag when it is another one.
 */
export function languageChoices(supported: readonly string[], current: string): Array<{ value: string; name: string; selected: boolean }> {
  const tags = supported.includes(current) || !isLanguageTag(current) ? [...supported] : [...supported, current];
  return tags.map((value) => ({ value, name: new Intl.DisplayNames([value], { type: 'language' }).of(value) ?? value, selected: value === current }));
}

/**
 * An import (one unit or `{ "units": [...] }`) whose units name no language: each is taken to be
 * in the language of the teacher importing it, the page's, so its content is marked right later.
 */
export function withTeacherLanguage(json: unknown, locale: string): unknown {
  const add = (u: unknown) => (typeof u === 'object' && u !== null && !Array.isArray(u) && !('language' in u) ? { ...u, language: locale } : u);
  const units = (json as { units?: unknown } | null)?.units;
  return Array.isArray(units) ? { ...(json as object), units: units.map(add) } : add(json);
}

export const SCORE_POLICIES = ['level_points', 'mastered_only'] as const;

export const METHODS = ['pfa', 'decaying_average', 'highest', 'latest', 'average', 'n_mastery', 'bkt'] as const;

/** Title, description and calculation method of the unit. */
export function applySettings(doc: UnitDocument, f: Form): Edit {
  const d = clone(doc);
  const problems: UnitProblem[] = [];
  d.title = str(f, 'title').trim();
  d.description = str(f, 'description').trim();
  const method = str(f, 'method');
  const masteryThreshold = num(f, 'masteryThreshold', 'mastery.masteryThreshold', problems, true);
  const approachingThreshold = num(f, 'approachingThreshold', 'mastery.approachingThreshold', problems, true);
  const weight = num(f, 'weight', 'mastery.weight', problems);
  const n = num(f, 'n', 'mastery.n', problems);
  const old = d.mastery as Record<string, unknown>;
  const m: Record<string, unknown> = { method, masteryThreshold, approachingThreshold };
  if (method === 'decaying_average') m.weight = weight ?? 0.65;
  if (method === 'n_mastery') m.n = n ?? 2;
  if (method === 'bkt') m.params = old.method === 'bkt' ? old.params : undefined;
  d.mastery = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as UnitDocument['mastery'];
  // The language the content is written in (BCP 47): an absent field (an older form) keeps the unit's.
  const language = str(f, 'language').trim();
  if (language !== '') {
    if (isLanguageTag(language)) d.language = language;
    else problems.push({ path: 'language', message: `"${language}" is not a language tag such as en or es-MX` });
  }
  const policy = str(f, 'scorePolicy');
  // An absent field (an older form) keeps the unit's policy; anything else is validated with the document.
  if (policy !== '') d.scorePolicy = policy as UnitDocument['scorePolicy'];
  return { doc: d, problems };
}

/** Title, description, standard, prerequisites and check settings of competency `ci`. */
export function applyCompetency(doc: UnitDocument, ci: number, f: Form): Edit {
  const d = clone(doc);
  const problems: UnitProblem[] = [];
  const c = d.competencies[ci]!;
  const base = `competencies.${ci}`;
  c.title = str(f, 'title').trim();
  c.description = str(f, 'description').trim();
  const code = str(f, 'standardCode').trim();
  const caseGuid = str(f, 'caseGuid').trim();
  c.standard = code || caseGuid ? { ...(code ? { code } : {}), ...(caseGuid ? { caseGuid } : {}) } : undefined;
  if (!c.standard) delete c.standard;
  c.prerequisites = list(f, 'prerequisites');
  const per = num(f, 'itemsPerAttempt', `${base}.check.itemsPerAttempt`, problems);
  const pass = num(f, 'passPercent', `${base}.check.passThreshold`, problems, true);
  if (per !== undefined) c.check.itemsPerAttempt = per;
  if (pass !== undefined) c.check.passThreshold = pass;
  return { doc: d, problems };
}

/** A new competency with one placeholder pathway and item (the schema needs one of each). */
export function addCompetency(doc: UnitDocument, f: Form): Edit {
  const d = clone(doc);
  const id = str(f, 'id').trim();
  const title = str(f, 'title').trim();
  const competency: Competency = {
    id,
    title,
    description: '',
    prerequisites: [],
    pathways: [placeholderPathway('pathway-1', title)],
    check: {
      itemsPerAttempt: 1,
      passThreshold: 0.8,
      coolDownMinutes: 0,
      expiresAfterMinutes: 60,
      suggestOtherPathwayAfterFailures: 2,
      items: [{ id: 'item-1', type: 'short_text', prompt: `${title || id}: replace this question.`, tags: [], points: 1, accept: ['answer'], patterns: [] }],
    },
  };
  d.competencies.push(competency);
  return { doc: d, problems: [] };
}

function placeholderPathway(id: string, title: string): Pathway {
  return { id, title, modalities: ['read'], level: 'core', estimatedMinutes: 15, resources: [{ type: 'text', title, body: 'To be written.' }] };
}

/** Removes competency `ci` and every prerequisite that named it. */
export function removeCompetency(doc: UnitDocument, ci: number): Edit {
  const d = clone(doc);
  const [gone] = d.competencies.splice(ci, 1);
  for (const c of d.competencies) c.prerequisites = c.prerequisites.filter((p) => p !== gone?.id);
  return { doc: d, problems: [] };
}

/** Pathway `pi` of competency `ci` from its form (`pi` = length adds one). Resources are edited as JSON. */
export function applyPathway(doc: UnitDocument, ci: number, pi: number, f: Form): Edit {
  const d = clone(doc);
  const problems: UnitProblem[] = [];
  const base = `competencies.${ci}.pathways.${pi}`;
  const old = d.competencies[ci]!.pathways[pi];
  let resources: unknown = old?.resources ?? [];
  const rawResources = str(f, 'resources').trim();
  if (rawResources) {
    try {
      resources = JSON.parse(rawResources);
    } catch (err) {
      problems.push({ path: `${base}.resources`, message: `not valid JSON: ${(err as Error).message}` });
    }
  } else if (!old) {
    resources = placeholderPathway('x', str(f, 'title').trim() || 'Resource').resources;
  }
  const p = {
    id: old?.id ?? str(f, 'id').trim(),
    title: str(f, 'title').trim(),
    ...(str(f, 'description').trim() ? { description: str(f, 'description').trim() } : {}),
    modalities: list(f, 'modalities').filter((m) => (MODALITIES as readonly string[]).includes(m)),
    level: str(f, 'level'),
    estimatedMinutes: num(f, 'minutes', `${base}.estimatedMinutes`, problems) ?? old?.estimatedMinutes ?? 15,
    resources,
  } as Pathway;
  d.competencies[ci]!.pathways[pi] = p;
  return { doc: d, problems };
}

export function removePathway(doc: UnitDocument, ci: number, pi: number): Edit {
  const d = clone(doc);
  d.competencies[ci]!.pathways.splice(pi, 1);
  return { doc: d, problems: [] };
}

export function removeItem(doc: UnitDocument, ci: number, ii: number): Edit {
  const d = clone(doc);
  d.competencies[ci]!.check.items.splice(ii, 1);
  return { doc: d, problems: [] };
}
