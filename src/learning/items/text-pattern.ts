import { RE2JS } from 're2js';

/**
 * Short-text answer patterns, matched with RE2 (re2js): time linear in the answer's length
 * whatever the pattern, so a teacher's pattern can never hold the event loop (a backtracking
 * `new RegExp('(a+)+b')` takes seconds on 30 characters). RE2 has no back-references or
 * look-around; patterns that need them are refused when the unit is saved or imported.
 * Syntax: https://github.com/google/re2/wiki/Syntax
 */
export type TextPattern = { ok: true; matches: (answer: string) => boolean } | { ok: false; reason: string };

const cache = new Map<string, TextPattern>();
const CACHE_LIMIT = 500;

/** Compiles a teacher's pattern (JavaScript syntax accepted where RE2 can run it), case-insensitive. */
export function compileTextPattern(source: string): TextPattern {
  const hit = cache.get(source);
  if (hit) return hit;
  let compiled: TextPattern;
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(source), RE2JS.CASE_INSENSITIVE);
    compiled = { ok: true, matches: (answer) => re.matches(answer) };
  } catch (err) {
    compiled = { ok: false, reason: (err as Error).message.replace(/^error parsing regexp: /, '') };
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, compiled);
  return compiled;
}

/** True when the whole answer matches the pattern; a pattern RE2 cannot run never matches. */
export function matchesTextPattern(source: string, answer: string): boolean {
  const p = compileTextPattern(source);
  return p.ok && p.matches(answer);
}
