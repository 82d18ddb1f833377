import { hkdfSync } from 'node:crypto';
import { gcmDecrypt, gcmEncrypt, MasterKeys } from '@harbour/privacy';

/** A webhook secret at rest: AES-256-GCM (libs/privacy's one cipher) under a key derived (HKDF-SHA256) from a master key. */
export interface SealedSecret {
  v: 1;
  /** Which master key it was derived from. */
  mk: string;
  iv: string;
  ct: string;
  tag: string;
}

const keyFor = (master: Buffer, agencyId: string) =>
  Buffer.from(hkdfSync('sha256', master, Buffer.from('harbour/webhook-secret'), Buffer.from(agencyId), 32));
const aad = (agencyId: string) => Buffer.from(JSON.stringify(['harbour/webhook-secret', 1, agencyId]));

export function sealSecret(keys: MasterKeys, agencyId: string, secret: string): SealedSecret {
  const { iv, ct, tag } = gcmEncrypt(keyFor(keys.current.key, agencyId), Buffer.from(secret, 'utf8'), aad(agencyId));
  return {
    v: 1,
    mk: keys.current.id,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: tag.toString('base64'),
  };
}

export function openSecret(keys: MasterKeys, agencyId: string, sealed: SealedSecret): string {
  const master = keys.byId(sealed.mk);
  if (!master) throw new Error('webhook secret sealed under an unknown master key');
  const b64 = (s: string) => Buffer.from(s, 'base64');
  return gcmDecrypt(
    keyFor(master.key, agencyId),
    b64(sealed.iv),
    b64(sealed.ct),
    b64(sealed.tag),
    aad(agencyId),
  ).toString('utf8');
}
