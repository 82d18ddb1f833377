import { createHash } from 'node:crypto';
import escapeHtml from 'escape-html';
import { SECTIONS } from '@harbour/consent';
import type { AgencyName, ConsentCopy, DisclosureCopy, ExclusionCopy, ReferralCopy, SurvivorCopy } from './copy.js';
import { Words } from './translations.js';

/** Plain, printable: no scripts, fonts, images or links to load; the one style block is allowed by its hash. */
const CSS = [
  'body{font:16px/1.5 system-ui,sans-serif;color:#111;max-width:52rem;margin:2rem auto;padding:0 1rem}',
  'h1{font-size:1.8rem}h2{font-size:1.4rem;border-bottom:2px solid #333;margin-top:2.5rem}h3{font-size:1.1rem;margin:1.2rem 0 .3rem}',
  'dl{display:grid;grid-template-columns:minmax(9rem,1fr) 2fr;gap:.2rem 1rem;margin:.3rem 0 1rem}dt{font-weight:600}dd{margin:0}',
  'table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .4rem;text-align:left;vertical-align:top}',
  'ul,ol{margin:0;padding-left:1.2rem}.note{color:#444;font-style:italic}',
  '@media print{body{margin:0;max-width:none;font-size:11pt}h2,h3{break-after:avoid}article,tr,dl{break-inside:avoid}}',
].join('');

/**
 * The page's Content-Security-Policy: nothing may load or run; only the inline style block above
 * (by its SHA-256), so even a value that escaped escaping could not run a script or call out.
 */
export const COPY_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const e = (value: unknown) => escapeHtml(String(value));
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION_FIELDS = new Set(['nationality', 'country']);
const LANGUAGE_FIELDS = new Set(['language', 'interpreterLanguage']);

/** The copy as a printable page in `words`' language. Every value is HTML-escaped. */
export function copyHtml(copy: SurvivorCopy, words: Words): string {
  const t = (key: string, vars?: Record<string, string | number>) => e(words.t(key, vars));
  const name = (a: AgencyName) => a.name ?? words.t('agency.unknown');
  const list = (keys: string[]) => keys.map((k) => words.t(k)).join(', ');

  const value = (field: string, v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return t(`value.${v}`);
    if (typeof v === 'number') return e(v.toLocaleString(words.language));
    if (typeof v === 'string') {
      if (REGION_FIELDS.has(field)) return e(words.regionName(v));
      if (LANGUAGE_FIELDS.has(field)) return e(words.languageName(v));
      if (DATE.test(v)) return e(words.date(v));
      return words.has(`value.${v}`) ? t(`value.${v}`) : e(v);
    }
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== 'object' || x === null))
        return `<ul>${v.map((x) => `<li>${value(field, x)}</li>`).join('')}</ul>`;
      return `<ol>${v.map((x) => `<li>${value(field, x)}</li>`).join('')}</ol>`;
    }
    if (typeof v === 'object')
      return `<dl>${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `<dt>${t(`field.${k}`)}</dt><dd>${value(k, x)}</dd>`)
        .join('')}</dl>`;
    return e(v);
  };

  const record = () => {
    const parts = SECTIONS.flatMap((section) => {
      const content = copy.record.sections[section];
      const withheld = copy.record.withheld.find((w) => w.section === section);
      if (content !== undefined) return [`<h3>${t(`section.${section}`)}</h3>${value(section, content)}`];
      if (withheld && ['section-erased', 'record-erased'].includes(withheld.reason))
        return [`<h3>${t(`section.${section}`)}</h3><p class="note">${t('record.erased')}</p>`];
      return [];
    });
    return parts.length ? parts.join('\n') : `<p>${t('record.empty')}</p>`;
  };

  const consent = (c: ConsentCopy) => {
    const first = c.versions[0];
    const latest = c.versions.at(-1)!;
    const who =
      c.recipient.kind === 'agency'
        ? e(name(c.recipient.agency))
        : t('recipient.sector', { sector: words.t(`sector.${c.recipient.sector}`) });
    const how = (v: typeof latest) =>
      t('consent.given', {
        method: words.t(`method.${v.method}`),
        language: words.languageName(v.language),
        date: words.date(v.recordedAt),
        agency: name(v.recordedThrough),
      });
    const changes = c.versions
      .slice(1)
      .map((v) => `<li>${how(v)}</li>`)
      .join('');
    return `<article><h3>${who}</h3><dl>
<dt>${t('consent.what')}</dt><dd>${e(list(latest.sections.map((s) => `section.${s}`)))}</dd>
<dt>${t('consent.why')}</dt><dd>${e(list(latest.purposes.map((p) => `purpose.${p}`)))}</dd>
<dt>${t('consent.when')}</dt><dd>${t('consent.window', { from: words.date(latest.validFrom), until: words.date(latest.validUntil) })}</dd>
<dt>${t('consent.how')}</dt><dd>${how(first)}</dd>
${changes ? `<dt>${t('consent.changed')}</dt><dd><ul>${changes}</ul></dd>` : ''}
<dt>${t('consent.state')}</dt><dd>${t(`consent.state.${c.state}`)}</dd>
</dl>${c.revoked ? `<p>${t('consent.revoked', { date: words.date(c.revoked.at) })}</p>` : ''}</article>`;
  };

  const exclusion = (x: ExclusionCopy) => {
    const who =
      x.target.kind === 'agency'
        ? e(name(x.target.agency))
        : x.target.kind === 'staff'
          ? t('exclusion.staff', { name: x.target.name ?? x.target.userId })
          : t('exclusion.sector', { sector: words.t(`sector.${x.target.sector}`) });
    const lifted = x.lifted ? ` ${t('exclusion.lifted', { date: words.date(x.lifted.at) })}` : '';
    return `<li><strong>${who}</strong>. ${t('exclusion.since', { date: words.date(x.recordedAt), method: words.t(`method.${x.method}`) })}${lifted}</li>`;
  };

  const referral = (r: ReferralCopy) =>
    `<tr><td>${e(name(r.to))}</td><td>${e(name(r.from))}</td><td>${e(list(r.needs.map((n) => `value.${n}`)))}</td>` +
    `<td>${t(`value.${r.urgency}`)}</td><td>${t(`state.${r.state}`)}${r.declineReason ? ` (${t(`decline.${r.declineReason}`)})` : ''}</td>` +
    `<td>${e(words.date(r.requestedAt))}</td><td>${e(words.date(r.updatedAt))}</td></tr>`;

  const disclosure = (d: DisclosureCopy) => {
    const vars = {
      agency: name(d.agency),
      count: d.reads,
      first: words.date(d.firstSeen),
      last: words.date(d.lastSeen),
    };
    const rows = d.entries
      .map(
        (x) =>
          `<tr><td>${e(words.dateTime(x.at))}</td><td>${t(x.role && words.has(`role.${x.role}`) ? `role.${x.role}` : 'role.unknown')}</td>` +
          `<td>${e(list(x.sections.map((s) => `section.${s}`)))}</td><td>${t(`purpose.${x.purpose}`)}</td>` +
          `<td>${e(list(x.basis.map((b) => `basis.${b}`)))}</td></tr>`,
      )
      .join('\n');
    return `<article><h3>${e(name(d.agency))}</h3><p>${t(d.reads === 1 ? 'disclosures.once' : 'disclosures.many', vars)}</p>
<table><thead><tr><th>${t('disclosure.when')}</th><th>${t('disclosure.who')}</th><th>${t('disclosure.what')}</th><th>${t('disclosure.why')}</th><th>${t('disclosure.basis')}</th></tr></thead><tbody>
${rows}
</tbody></table></article>`;
  };

  return `<!doctype html>
<html lang="${e(words.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('page.title')}</title><style>${CSS}</style></head><body>
<header><h1>${t('page.title')}</h1><p>${t('page.intro')}</p><p>${t('page.prepared', { date: words.date(copy.generatedAt) })}</p></header>
<section><h2>${t('record.heading')}</h2>
${record()}
</section>
<section><h2>${t('consents.heading')}</h2><p>${t('consents.intro')}</p>
${copy.consents.length ? copy.consents.map(consent).join('\n') : `<p>${t('consents.empty')}</p>`}
</section>
<section><h2>${t('exclusions.heading')}</h2>
${copy.exclusions.length ? `<ul>${copy.exclusions.map(exclusion).join('\n')}</ul>` : `<p>${t('exclusions.empty')}</p>`}
</section>
<section><h2>${t('referrals.heading')}</h2>
${
  copy.referrals.length
    ? `<table><thead><tr><th>${t('referral.to')}</th><th>${t('referral.from')}</th><th>${t('referral.for')}</th><th>${t('referral.urgency')}</th><th>${t('referral.state')}</th><th>${t('referral.asked')}</th><th>${t('referral.changed')}</th></tr></thead><tbody>
${copy.referrals.map(referral).join('\n')}
</tbody></table>`
    : `<p>${t('referrals.empty')}</p>`
}
</section>
<section><h2>${t('disclosures.heading')}</h2><p>${t('disclosures.intro')}</p>
${copy.disclosures.length ? copy.disclosures.map(disclosure).join('\n') : `<p>${t('disclosures.empty')}</p>`}
</section>
<footer><p>${t('page.questions')}</p></footer>
</body></html>
`;
}
