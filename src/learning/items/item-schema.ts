import { z } from 'zod';
import { compileTextPattern } from './text-pattern.js';

const itemId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1–64 letters, digits, ".", "_" or "-"');
const feedback = z.object({ correct: z.string().max(2000).optional(), incorrect: z.string().max(2000).optional() }).optional();
const option = z.object({ id: itemId, text: z.string().min(1).max(1000), feedback: z.string().max(2000).optional() });

const base = {
  id: itemId,
  prompt: z.string().min(1).max(4000),
  /** Tags (e.g. a sub-skill); a draw balances the first tag of each item. */
  tags: z.array(z.string().min(1).max(60)).max(10).default([]),
  points: z.number().positive().max(100).default(1),
  feedback,
};

function uniqueOptions(options: { id: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  options.forEach((o, i) => {
    if (seen.has(o.id)) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: `option id "${o.id}" is used twice` });
    seen.add(o.id);
  });
}

const singleChoice = z
  .object({ ...base, type: z.literal('single_choice'), options: z.array(option).min(2).max(12), correctOptionId: itemId })
  .superRefine((item, ctx) => {
    uniqueOptions(item.options, ctx);
    if (!item.options.some((o) => o.id === item.correctOptionId)) {
      ctx.addIssue({ code: 'custom', path: ['correctOptionId'], message: `"${item.correctOptionId}" is not one of the options` });
    }
  });

const multipleSelect = z
  .object({
    ...base,
    type: z.literal('multiple_select'),
    options: z.array(option).min(2).max(12),
    correctOptionIds: z.array(itemId).min(1),
  })
  .superRefine((item, ctx) => {
    uniqueOptions(item.options, ctx);
    item.correctOptionIds.forEach((id, i) => {
      if (!item.options.some((o) => o.id === id)) {
        ctx.addIssue({ code: 'custom', path: ['correctOptionIds', i], message: `"${id}" is not one of the options` });
      }
    });
  });

const numeric = z.object({
  ...base,
  type: z.literal('numeric'),
  answer: z.number(),
  /** Absolute tolerance: |response − answer| ≤ tolerance is correct. */
  tolerance: z.number().min(0).default(0),
  unitLabel: z.string().max(30).optional(),
});

const shortText = z
  .object({
    ...base,
    type: z.literal('short_text'),
    /** Accepted answers, compared case-insensitively after trimming and collapsing spaces. */
    accept: z.array(z.string().min(1).max(200)).default([]),
    /** Regular expressions (RE2 syntax, linear time) matched against the whole answer, case-insensitively. */
    patterns: z.array(z.string().min(1).max(200)).default([]),
  })
  .superRefine((item, ctx) => {
    if (item.accept.length === 0 && item.patterns.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['accept'], message: 'give at least one accepted answer or pattern' });
    }
    item.patterns.forEach((p, i) => {
      const compiled = compileTextPattern(p);
      if (!compiled.ok) {
        ctx.addIssue({
          code: 'custom',
          path: ['patterns', i],
          message: `"${p}" cannot be used as a pattern (${compiled.reason}): patterns may not use back-references or look-around`,
          params: { messageKey: 'unit.problem.unsupportedPattern', vars: { pattern: p, reason: compiled.reason } },
        });
      }
    });
  });

/** One item of a mastery check's bank or of a practice set. */
export const itemSchema = z.discriminatedUnion('type', [singleChoice, multipleSelect, numeric, shortText]);

export type Item = z.output<typeof itemSchema>;
export type ItemType = Item['type'];
export type SingleChoiceItem = Extract<Item, { type: 'single_choice' }>;
export type MultipleSelectItem = Extract<Item, { type: 'multiple_select' }>;
export type NumericItem = Extract<Item, { type: 'numeric' }>;
export type ShortTextItem = Extract<Item, { type: 'short_text' }>;
