import {
  codeIdOf,
  derivedPepper,
  formatShareCode,
  hashShareCode,
  newShareCode,
  normaliseShareCode,
  SHARE_CODE_ALPHABET,
} from './share-code.js';

describe('share codes: the code on the card', () => {
  it('is 16 symbols of Crockford base32 without I, L, O or U, shown as four groups of four', () => {
    expect(SHARE_CODE_ALPHABET).toHaveLength(32);
    expect(SHARE_CODE_ALPHABET).not.toMatch(/[ILOU]/);
    const code = newShareCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(formatShareCode(code)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('draws every symbol (no symbol is left out by the generator)', () => {
    const seen = new Set([...Array.from({ length: 200 }, newShareCode).join('')]);
    expect(seen.size).toBe(32);
  });

  it('is read back whatever the case, spaces and dashes, and O/I/L typed for 0/1', () => {
    expect(normaliseShareCode(' 7kq2-m9xd 4htr-0wpn ')).toBe('7KQ2M9XD4HTR0WPN');
    expect(normaliseShareCode('7KQ2-M9XD-4HTR-OWPN')).toBe('7KQ2M9XD4HTR0WPN');
    expect(normaliseShareCode('1111-iiii-LLLL-llll')).toBe('1111111111111111');
  });

  it('anything that cannot be a code is refused before hashing', () => {
    for (const bad of ['', '7KQ2-M9XD-4HTR', '7KQ2-M9XD-4HTR-0WPNX', 'UUUU-UUUU-UUUU-UUUU', '7KQ2-M9XD-4HTR-0WP!'])
      expect(normaliseShareCode(bad)).toBeNull();
  });
});

describe('share codes: the stored hash', () => {
  const pepper = derivedPepper(Buffer.alloc(32, 7));

  it('is deterministic for one pepper (so it can be looked up), and differs with another pepper', async () => {
    const a = await hashShareCode('7KQ2M9XD4HTR0WPN', pepper);
    expect(await hashShareCode('7KQ2M9XD4HTR0WPN', pepper)).toBe(a);
    expect(await hashShareCode('7KQ2M9XD4HTR0WPN', derivedPepper(Buffer.alloc(32, 8)))).not.toBe(a);
    expect(a).not.toContain('7KQ2');
    expect(codeIdOf(a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
