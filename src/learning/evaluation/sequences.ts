/** One student's answers in order: the competency (skill) of each and whether it was right. */
export interface AnswerSequence {
  skills: readonly number[];
  correct: readonly boolean[];
}

/**
 * Reads the 3-line knowledge-tracing format (as published with the DKVMN paper): per student, the
 * number of answers; the skill id of each answer; 1 or 0 for each. Blank lines are skipped.
 * Throws with the line number when a record does not add up.
 */
export function parseSequences(text: string): AnswerSequence[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const out: AnswerSequence[] = [];
  let i = 0;
  const next = (): [string, number] | null => {
    while (i < lines.length && lines[i] === '') i++;
    if (i >= lines.length) return null;
    const at = i + 1;
    return [lines[i++]!, at];
  };
  for (;;) {
    const head = next();
    if (!head) break;
    const n = Number(head[0]);
    const skills = next();
    const answers = next();
    if (!Number.isInteger(n) || n < 0 || !skills || !answers) throw new Error(`line ${head[1]}: expected a count, then skills and answers`);
    const ids = splitNumbers(skills[0]);
    const flags = splitNumbers(answers[0]);
    if (ids.length !== n || flags.length !== n || ids.some((x) => !Number.isInteger(x)) || flags.some((x) => x !== 0 && x !== 1)) {
      throw new Error(`line ${head[1]}: ${n} answers announced, ${ids.length} skills and ${flags.length} 0/1 answers found`);
    }
    if (n > 0) out.push({ skills: ids, correct: flags.map((x) => x === 1) });
  }
  return out;
}

function splitNumbers(line: string): number[] {
  return line
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
}
