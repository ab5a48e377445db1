import { z } from 'zod';
import { findCycle } from './competency-graph.js';
import { masteryMethodSchema } from './mastery/method-config.js';
import { itemSchema } from './items/item-schema.js';

/** The ways to learn that a pathway can be tagged with. */
export const MODALITIES = ['watch', 'read', 'practice', 'build', 'discuss'] as const;
export type Modality = (typeof MODALITIES)[number];

/** Author-chosen identifiers inside a unit: stable across export and import. */
export const localId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
const title = z.string().min(1).max(200);
const httpsUrl = z.url({ protocol: /^https?$/ });

export const resourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link'), title, url: httpsUrl }),
  z.object({ type: z.literal('text'), title, body: z.string().min(1).max(20_000) }),
  z.object({ type: z.literal('video'), title, url: httpsUrl, captionsUrl: httpsUrl.optional() }),
  z.object({ type: z.literal('practice'), title, items: z.array(itemSchema).min(1).max(50) }),
]);

export const pathwaySchema = z.object({
  id: localId,
  title,
  description: z.string().max(2000).optional(),
  modalities: z.array(z.enum(MODALITIES)).min(1),
  level: z.enum(['foundation', 'core', 'challenge']),
  estimatedMinutes: z.int().min(1).max(600),
  resources: z.array(resourceSchema).min(1).max(50),
});

export const masteryCheckSchema = z.object({
  itemsPerAttempt: z.int().min(1).max(50),
  /** Share of the points needed to pass one attempt (Summit Learning: 8 of 10). */
  passThreshold: z.number().min(0).max(1).default(0.8),
  /** Minutes to wait after a failed attempt before the next one. */
  coolDownMinutes: z.int().min(0).max(10_080).default(0),
  /** An attempt not submitted within this many minutes expires. */
  expiresAfterMinutes: z.int().min(1).max(1440).default(60),
  /** After this many failed attempts in a row, suggest another pathway. */
  suggestOtherPathwayAfterFailures: z.int().min(1).max(10).default(2),
  items: z.array(itemSchema).min(1).max(500),
});

export const competencySchema = z.object({
  id: localId,
  title,
  description: z.string().max(4000).default(''),
  /** A CASE framework item GUID and/or a human-readable standard code. */
  standard: z.object({ caseGuid: z.uuid().optional(), code: z.string().min(1).max(100).optional() }).optional(),
  prerequisites: z.array(localId).default([]),
  pathways: z.array(pathwaySchema).min(1).max(10),
  check: masteryCheckSchema,
});

const unitShape = z.object({
  schemaVersion: z.literal(1),
  key: localId,
  title,
  description: z.string().max(4000).default(''),
  language: z.string().min(2).max(35).optional(),
  mastery: masteryMethodSchema,
  /** The gradebook line item maximum used for the unit score (see progression.ts). */
  scoreMaximum: z.number().positive().max(10_000).default(100),
  /** How levels become the unit score (see progression.ts): points per level, or mastered competencies only. */
  scorePolicy: z.enum(['level_points', 'mastered_only']).default('level_points'),
  competencies: z.array(competencySchema).min(1).max(100),
});

/** A unit document, as imported and exported (docs/unit.schema.json is generated from this). */
export const unitSchema = unitShape.superRefine((unit, ctx) => {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const ids = new Map<string, number>();
  unit.competencies.forEach((c, i) => {
    if (ids.has(c.id)) issue(['competencies', i, 'id'], `competency id "${c.id}" is used twice`);
    ids.set(c.id, i);
    const pathwayIds = new Set<string>();
    c.pathways.forEach((p, j) => {
      if (pathwayIds.has(p.id)) issue(['competencies', i, 'pathways', j, 'id'], `pathway id "${p.id}" is used twice`);
      pathwayIds.add(p.id);
    });
    const itemIds = new Set<string>();
    c.check.items.forEach((item, j) => {
      if (itemIds.has(item.id)) issue(['competencies', i, 'check', 'items', j, 'id'], `item id "${item.id}" is used twice`);
      itemIds.add(item.id);
    });
    if (c.check.itemsPerAttempt > c.check.items.length) {
      issue(['competencies', i, 'check', 'itemsPerAttempt'], `asks for ${c.check.itemsPerAttempt} items but the bank has ${c.check.items.length}`);
    }
  });
  unit.competencies.forEach((c, i) => {
    c.prerequisites.forEach((p, j) => {
      if (p === c.id) issue(['competencies', i, 'prerequisites', j], `competency "${c.id}" cannot be its own prerequisite`);
      else if (!ids.has(p)) issue(['competencies', i, 'prerequisites', j], `unknown prerequisite "${p}"`);
    });
  });
  const cycle = findCycle(unit.competencies.map((c) => ({ id: c.id, prerequisites: c.prerequisites.filter((p) => ids.has(p) && p !== c.id) })));
  if (cycle) {
    issue(['competencies', ids.get(cycle[0]!)!, 'prerequisites'], `prerequisites form a cycle: ${cycle.join(' → ')}`);
  }
});

export type UnitDocument = z.output<typeof unitSchema>;
export type UnitInput = z.input<typeof unitSchema>;
export type Competency = UnitDocument['competencies'][number];
export type Pathway = Competency['pathways'][number];
export type Resource = Pathway['resources'][number];
export type MasteryCheck = Competency['check'];
