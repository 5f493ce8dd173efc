import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next';

describe('safeNextPath', () => {
  it.each(['/', '/models/abc', '/invite/tok_123?x=1#y', '/alerts?range=7d&team=a%20b'])('keeps the same-origin path %s', (next) => {
    expect(safeNextPath(next)).toBe(next);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example',
    'http:/evil.example',
    'javascript:alert(1)',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    ' /x',
    '/%0a/evil.example',
    'evil.example',
    '',
    '/%E0%A4%A', // malformed percent-encoding
  ])('falls back to / for %j', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('falls back to / for an overlong next', () => {
    expect(safeNextPath(`/${'a'.repeat(3000)}`)).toBe('/');
  });

  it('falls back to / when next is missing or not a string', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(['/a', '/b'])).toBe('/');
  });
});
