/**
 * The labels that identify one alert instance of a rule. `version` is '' for the model across
 * all its versions, `column` is '' for model-level metrics, `segment` is '' for the whole
 * population (else "tag=value").
 */
export type AlertLabels = {
  readonly model: string;
  readonly version: string;
  readonly column: string;
  readonly segment: string;
};

/**
 * Stable id of an alert instance: FNV-1a 64-bit over the rule id and the labels sorted by name,
 * as 16 hex digits. Pure JS on purpose (no `node:crypto`), so the web app and the worker
 * compute the same value. It de-duplicates alerts (unique per rule) and is PagerDuty's
 * dedup key; it is not a security boundary, so a non-cryptographic hash is enough —
 * collisions between ~10⁶ instances of one rule have probability ≈ 3·10⁻⁸.
 */
export function alertFingerprint(ruleId: string, labels: Readonly<Record<string, string>>): string {
  return fnv1a64(canonicalLabels(ruleId, labels));
}

/** JSON of `[ruleId, [[name, value], …]]` with names sorted: unambiguous whatever the characters. */
export function canonicalLabels(ruleId: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name] ?? '']);
  return JSON.stringify([ruleId, pairs]);
}

/**
 * FNV-1a 64 over the UTF-8 bytes of `text` (http://www.isthe.com/chongo/tech/comp/fnv/).
 * The 64-bit state is kept in four 16-bit limbs so every product fits a double exactly —
 * several times faster than BigInt, which matters when a backtest hashes per window.
 * prime = 2^40 + 0x1b3, so h·prime = h·0x1b3 + (h << 40).
 */
export function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const byte of utf8(text)) {
    h0 ^= byte;
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/** UTF-8 bytes, by hand: `TextEncoder` is not in the ES library this package compiles against. */
function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let cp = char.codePointAt(0) ?? 0xfffd;
    // Lone surrogates encode as U+FFFD, as TextEncoder does.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) {
      bytes.push(cp);
    } else if (cp < 0x800) {
      bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
    }
  }
  return bytes;
}
