import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { MasterKeys } from '@harbour/privacy';

/** A webhook secret at rest: AES-256-GCM under a key derived (HKDF-SHA256) from a master key. */
export interface SealedSecret {
  v: 1;
  /** Which master key it was derived from. */
  mk: string;
  iv: string;
  ct: string;
  tag: string;
}

const keyFor = (master: Buffer, agencyId: string) => Buffer.from(hkdfSync('sha256', master, Buffer.from('harbour/webhook-secret'), Buffer.from(agencyId), 32));
const aad = (agencyId: string) => Buffer.from(JSON.stringify(['harbour/webhook-secret', 1, agencyId]));

export function sealSecret(keys: MasterKeys, agencyId: string, secret: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(keys.current.key, agencyId), iv);
  cipher.setAAD(aad(agencyId));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { v: 1, mk: keys.current.id, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function openSecret(keys: MasterKeys, agencyId: string, sealed: SealedSecret): string {
  const master = keys.byId(sealed.mk);
  if (!master) throw new Error('webhook secret sealed under an unknown master key');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(master.key, agencyId), Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
  decipher.setAAD(aad(agencyId));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
}
