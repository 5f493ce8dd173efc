import { compileMatcherPattern, type SilenceMatcher } from '@vigil/contracts';

/** A silence as stored (`Silence` row), with times in epoch ms. Active for startsAt ≤ now < endsAt. */
export interface Silence {
  readonly id?: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
}

export function isSilenceActive(silence: Silence, now: number): boolean {
  return silence.startsAt <= now && now < silence.endsAt;
}

/**
 * A matcher over one label; a missing label reads as ''. Regexes are anchored (`^(?:…)$`) so
 * `model=~"fraud"` does not also match "fraud-v2". An invalid regex matches nothing — for
 * `=~` and `!~` alike — so a broken silence never mutes more than intended.
 */
export function matcherMatches(
  matcher: SilenceMatcher,
  labels: Readonly<Record<string, string>>,
): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
    case '!~': {
      const pattern = compiled(matcher.value);
      if (!pattern) return false;
      return pattern.matches(value) === (matcher.op === '=~');
    }
  }
}

/** Every matcher must match; a silence without matchers matches nothing. */
export function silenceMatches(
  silence: Silence,
  labels: Readonly<Record<string, string>>,
): boolean {
  return silence.matchers.length > 0 && silence.matchers.every((m) => matcherMatches(m, labels));
}

export function isSilenced(
  silences: readonly Silence[],
  labels: Readonly<Record<string, string>>,
  now: number,
): boolean {
  return silences.some((s) => isSilenceActive(s, now) && silenceMatches(s, labels));
}

/** Compiled patterns by source: an evaluation checks every silence against every alert. */
const patterns = new Map<string, ReturnType<typeof compileMatcherPattern>>();
const PATTERN_CACHE_LIMIT = 1_000;

function compiled(source: string): ReturnType<typeof compileMatcherPattern> {
  if (patterns.has(source)) return patterns.get(source)!;
  const pattern = compileMatcherPattern(source);
  if (patterns.size >= PATTERN_CACHE_LIMIT) patterns.delete(patterns.keys().next().value!);
  patterns.set(source, pattern);
  return pattern;
}
