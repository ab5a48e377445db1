import type { Item } from '../../learning/items/item-schema.js';
import type { UnitProblem } from '../../learning/unit-import.js';
import type { UnitDocument } from '../../learning/unit-schema.js';
import { str, type Edit, type Form } from './teacher-unit-forms.js';

const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** An item as its editor form shows it: choices one per line, the answer as choice numbers or values. */
export function itemForm(item: Item) {
  const base = {
    id: item.id,
    type: item.type,
    prompt: item.prompt,
    feedbackCorrect: item.feedback?.correct ?? '',
    feedbackIncorrect: item.feedback?.incorrect ?? '',
    choices: '',
    answer: '',
    tolerance: '',
    unitLabel: '',
  };
  switch (item.type) {
    case 'single_choice':
      return { ...base, choices: item.options.map((o) => o.text).join('\n'), answer: String(item.options.findIndex((o) => o.id === item.correctOptionId) + 1) };
    case 'multiple_select':
      return {
        ...base,
        choices: item.options.map((o) => o.text).join('\n'),
        answer: item.options.flatMap((o, i) => (item.correctOptionIds.includes(o.id) ? [String(i + 1)] : [])).join(', '),
      };
    case 'numeric':
      return { ...base, answer: String(item.answer), tolerance: item.tolerance ? String(item.tolerance) : '', unitLabel: item.unitLabel ?? '' };
    case 'short_text':
      return { ...base, answer: item.accept.join('\n') };
  }
}

/** Option ids kept by position (attempts and answers name them), new lines get fresh ids. */
function options(texts: string[], old: { id: string; text: string; feedback?: string }[]) {
  const used = new Set(old.slice(0, texts.length).map((o) => o.id));
  let next = 1;
  return texts.map((text, i) => {
    const prev = old[i];
    if (prev) return { ...prev, text };
    while (used.has(`o${next}`)) next += 1;
    used.add(`o${next}`);
    return { id: `o${next}`, text };
  });
}

/** Item `ii` of competency `ci`'s check from its form (`ii` = length adds one). */
export function applyItem(doc: UnitDocument, ci: number, ii: number, f: Form): Edit {
  const d = structuredClone(doc);
  const problems: UnitProblem[] = [];
  const base = `competencies.${ci}.check.items.${ii}`;
  const old = d.competencies[ci]!.check.items[ii];
  const type = str(f, 'type');
  const fbC = str(f, 'feedbackCorrect').trim();
  const fbI = str(f, 'feedbackIncorrect').trim();
  const common = {
    id: old?.id ?? str(f, 'id').trim(),
    prompt: str(f, 'prompt').trim(),
    tags: old?.tags ?? [],
    points: old?.points ?? 1,
    ...(fbC || fbI ? { feedback: { ...(fbC ? { correct: fbC } : {}), ...(fbI ? { incorrect: fbI } : {}) } } : {}),
  };
  const answer = str(f, 'answer').trim();
  const oldOptions = old && 'options' in old ? old.options : [];
  const choiceNumbers = (texts: readonly unknown[]) =>
    answer
      .split(/[,;\s]+/)
      .filter(Boolean)
      .map((n) => {
        const k = Number(n);
        if (!Number.isInteger(k) || k < 1 || k > texts.length)
          problems.push({ path: `${base}.answer`, message: `"${n}" is not a choice number from 1 to ${texts.length}` });
        return k - 1;
      });
  let item: unknown;
  if (type === 'single_choice' || type === 'multiple_select') {
    const opts = options(lines(str(f, 'choices')), oldOptions);
    const picked = choiceNumbers(opts)
      .map((k) => opts[k]?.id)
      .filter((x): x is string => !!x);
    if (type === 'single_choice' && picked.length !== 1 && !problems.length)
      problems.push({ path: `${base}.answer`, message: 'give the number of the one correct choice' });
    item =
      type === 'single_choice'
        ? { ...common, type, options: opts, correctOptionId: picked[0] ?? '' }
        : { ...common, type, options: opts, correctOptionIds: picked };
  } else if (type === 'numeric') {
    const value = Number(answer.replace(',', '.'));
    if (answer === '' || !Number.isFinite(value)) problems.push({ path: `${base}.answer`, message: 'give the correct answer as a number' });
    const tolRaw = str(f, 'tolerance').trim().replace(',', '.');
    const tolerance = tolRaw === '' ? 0 : Number(tolRaw);
    if (!Number.isFinite(tolerance)) problems.push({ path: `${base}.tolerance`, message: `"${tolRaw}" is not a number` });
    const unitLabel = str(f, 'unitLabel').trim();
    item = { ...common, type, answer: value, tolerance, ...(unitLabel ? { unitLabel } : {}) };
  } else if (type === 'short_text') {
    item = { ...common, type, accept: lines(str(f, 'answer')), patterns: old?.type === 'short_text' ? old.patterns : [] };
  } else {
    problems.push({ path: `${base}.type`, message: 'choose an item type' });
    item = old;
  }
  d.competencies[ci]!.check.items[ii] = item as Item;
  return { doc: d, problems };
}
