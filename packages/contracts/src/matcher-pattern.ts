import { RE2JS } from 're2js';

/**
 * A silence matcher's regular expression, compiled by a linear-time engine (RE2 semantics, the
 * `re2js` port): the whole value must match, and the time to match grows with the label's length
 * only — `(\w|\w|\w|\w)*#` against a 100 KB label takes milliseconds, where V8's backtracking
 * engine never returns. Returns null for a pattern RE2 cannot compile (backreferences, lookaround,
 * a syntax error): such patterns are refused when a silence is saved.
 */
export function compileMatcherPattern(source: string): { matches(value: string): boolean } | null {
  try {
    const pattern = RE2JS.compile(`^(?:${source})$`);
    return { matches: (value) => pattern.matches(value) };
  } catch {
    return null;
  }
}
