import { scenario, score } from '../../../../bench/identities.js';
import { dice, encodeIdentity, MATCH_THRESHOLD, normaliseName, phonetic } from './clk.js';
import { MatchIndex } from './match-index.js';

const key = Buffer.alloc(32, 3);

describe('identity encodings (keyed Bloom filters) and the match index', () => {
  it('normalises case, diacritics, hyphens and Cyrillic, and folds transliterations to one form', () => {
    expect(normaliseName('  José-María  GARCÍA ')).toEqual(['jose', 'maria', 'garcia']);
    expect(normaliseName('Олександр Шевченко')).toEqual(['oleksandr', 'shevchenko']);
    expect(phonetic('mohammed')).toBe(phonetic('muhammad'));
    expect(phonetic('oleksandr')).toBe(phonetic('aleksandr'));
    expect(phonetic('sophia')).toBe(phonetic('sofia'));
  });

  it('the same person recorded again scores above the threshold; another person with the same name but another birth date does not', () => {
    const a = encodeIdentity(
      { legalName: 'Mohammed Hassan', preferredName: 'Mohammed', dateOfBirth: '1990-03-11', nationality: 'SY' },
      key,
    )!;
    const swapped = encodeIdentity({ legalName: 'Hasan Muhammad', dateOfBirth: '1990-11-03' }, key)!;
    const other = encodeIdentity(
      { legalName: 'Mohammed Hassan', preferredName: 'Mohammed', dateOfBirth: '1984-07-25', nationality: 'SY' },
      key,
    )!;
    expect(dice(a, swapped)).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(dice(a, other)).toBeLessThan(MATCH_THRESHOLD);
  });

  it('depends on the key: another key gives an unrelated encoding of the same identity', () => {
    const identity = { legalName: 'Olena Kovalenko', dateOfBirth: '1995-01-02' };
    const mine = encodeIdentity(identity, key)!;
    expect(dice(mine, encodeIdentity(identity, key)!)).toBe(1);
    expect(dice(mine, encodeIdentity(identity, Buffer.alloc(32, 4))!)).toBeLessThan(0.5);
  });

  it('on 2,000 synthetic records with typos, transliterations and swaps: precision above 0.9 and recall above 0.85 at the threshold', () => {
    const s = scenario(2026, 2_000, 400);
    const index = new MatchIndex();
    s.records.forEach((r, i) => index.put(String(i), encodeIdentity(r, key)!));
    const r = score(s, (q) => index.matches(encodeIdentity(q, key)!, MATCH_THRESHOLD).map((m) => Number(m.id)));
    expect(r.precision).toBeGreaterThan(0.9);
    expect(r.recall).toBeGreaterThan(0.85);
  });

  it('the index forgets removed records and replaces updated ones', () => {
    const index = new MatchIndex();
    const a = encodeIdentity({ legalName: 'Amina Okafor', dateOfBirth: '2001-05-06' }, key)!;
    const b = encodeIdentity({ legalName: 'Kofi Mensah', dateOfBirth: '1979-12-30' }, key)!;
    index.put('a', a);
    index.put('b', b);
    expect(index.matches(a, MATCH_THRESHOLD).map((m) => m.id)).toEqual(['a']);
    expect(index.matches(a, MATCH_THRESHOLD, 'a')).toEqual([]);
    index.remove('a');
    expect(index.matches(a, MATCH_THRESHOLD)).toEqual([]);
    index.put('b', a);
    expect(index.matches(a, MATCH_THRESHOLD).map((m) => m.id)).toEqual(['b']);
    expect(index.size).toBe(1);
  });
});
