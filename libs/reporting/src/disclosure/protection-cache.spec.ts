import { ProtectionCache } from './protection-cache.js';

describe('the protection cache', () => {
  it('answers a table asked again without auditing it again, and forgets the least recently used first', () => {
    const cache = new ProtectionCache(2);
    let audits = 0;
    const protect = (key: string) => cache.get(key, () => ++audits);
    expect([protect('jan'), protect('feb'), protect('jan')]).toEqual([1, 2, 1]);
    protect('mar'); // evicts feb: jan was used more recently
    expect(protect('jan')).toBe(1);
    expect(protect('feb')).toBe(4);
    expect(audits).toBe(4);
  });

  it('keeps nothing with no capacity (noisy counts are never the same twice)', () => {
    const cache = new ProtectionCache(0);
    let audits = 0;
    cache.get('x', () => ++audits);
    cache.get('x', () => ++audits);
    expect(audits).toBe(2);
  });
});
