import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('uuidv7', () => {
  it('is an RFC 9562 version 7 UUID carrying the current millisecond', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(id).toMatch(V7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after);
    expect(msOf(uuidv7(Date.UTC(2030, 0, 1)))).toBe(Date.UTC(2030, 0, 1));
  });

  it('grows with time (byte-wise, as the key index compares) and never repeats', () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(uuidv7(1_700_000_000_000 + i * 7));
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 100_000 }, () => uuidv7()));
    expect(many.size).toBe(100_000);
    for (const id of [...many].slice(0, 1000)) expect(id).toMatch(V7);
  });

  it('keeps 74 random bits within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7(1_700_000_000_000));
    expect(new Set(ids.map((id) => id.slice(0, 13))).size).toBe(1);
    expect(new Set(ids).size).toBe(1000);
  });
});
