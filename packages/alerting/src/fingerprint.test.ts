import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertFingerprint, canonicalLabels, fnv1a64 } from './fingerprint.js';

const label = fc.string({ maxLength: 12, unit: 'grapheme' });
const labelSet = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), label, { maxKeys: 6 });

describe('FNV-1a 64', () => {
  // Expected values from the reference definition (isthe.com/chongo/tech/comp/fnv), computed
  // with a Python implementation over UTF-8 bytes.
  it('matches the reference vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('agrees with a straightforward BigInt implementation on any text', () => {
    // UTF-8 bytes via encodeURIComponent, an encoder independent of the one under test.
    const utf8 = (text: string) =>
      encodeURIComponent(text)
        .match(/%[0-9A-F]{2}|[^%]/g)
        ?.map((c) => (c.length === 3 ? parseInt(c.slice(1), 16) : c.charCodeAt(0))) ?? [];
    const reference = (text: string) => {
      let h = 0xcbf29ce484222325n;
      for (const byte of utf8(text)) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
      return h.toString(16).padStart(16, '0');
    };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(fnv1a64(text)).toBe(reference(text));
      }),
    );
  });

  it('hashes non-ASCII text by its UTF-8 bytes, astral characters included', () => {
    expect(fnv1a64('naïve €𝄞')).toBe('96a4699a5ca1581e');
  });
});

describe('alert fingerprint', () => {
  it('is pinned for a known rule and label set, so stored fingerprints stay valid', () => {
    // Python: fnv1a64(json.dumps(['rule-1', [['column','age'],['model','m1'],['segment',''],['version','v1']]], separators=(',',':')))
    expect(
      alertFingerprint('rule-1', { model: 'm1', version: 'v1', column: 'age', segment: '' }),
    ).toBe('aba9091288bab149');
  });

  it('does not depend on the order of the labels', () => {
    fc.assert(
      fc.property(labelSet, fc.string(), (labels, ruleId) => {
        const reversed = Object.fromEntries(Object.entries(labels).reverse());
        expect(alertFingerprint(ruleId, reversed)).toBe(alertFingerprint(ruleId, labels));
      }),
    );
  });

  it('differs when any label value differs', () => {
    fc.assert(
      fc.property(
        labelSet,
        fc.string({ minLength: 1, maxLength: 8 }),
        label,
        label,
        (labels, name, a, b) => {
          fc.pre(a !== b);
          expect(alertFingerprint('r', { ...labels, [name]: a })).not.toBe(
            alertFingerprint('r', { ...labels, [name]: b }),
          );
        },
      ),
    );
  });

  it('differs between rules with the same labels', () => {
    fc.assert(
      fc.property(labelSet, fc.string(), fc.string(), (labels, r1, r2) => {
        fc.pre(r1 !== r2);
        expect(alertFingerprint(r1, labels)).not.toBe(alertFingerprint(r2, labels));
      }),
    );
  });

  it('cannot be confused by separators inside values', () => {
    expect(canonicalLabels('r', { a: 'x","b":"y' })).not.toBe(
      canonicalLabels('r', { a: 'x', b: 'y' }),
    );
    expect(alertFingerprint('r', { a: 'x","b":"y' })).not.toBe(
      alertFingerprint('r', { a: 'x', b: 'y' }),
    );
  });

  it('is 16 lower-case hex digits', () => {
    fc.assert(
      fc.property(labelSet, (labels) => {
        expect(alertFingerprint('r', labels)).toMatch(/^[0-9a-f]{16}$/);
      }),
    );
  });
});
