import escapeHtml from 'escape-html';
import type { Section } from '@harbour/consent';
import { chooseLanguage, Words } from '@harbour/survivor-copy';

export interface ShareCodeCard {
  /** The language the card is written in: the survivor's, where a translation exists, else English. */
  language: string;
  /** A small self-contained page to print (no scripts, links or images). */
  html: string;
}

const CSS =
  'body{font:14px/1.4 system-ui,sans-serif;color:#111;margin:1rem}' +
  '.card{border:2px solid #333;border-radius:8px;padding:1rem;max-width:22rem}' +
  '.code{font:700 1.6rem/1.2 ui-monospace,monospace;letter-spacing:.12em;margin:.6rem 0}p{margin:.4rem 0}';

const e = (value: string) => escapeHtml(value);

/**
 * The card the care team prints for the survivor at issuance, in the survivor's language: the
 * code, what it opens, until when, and how to keep it safe. It names no agency and no one: a card
 * that is lost or found says only that a share code exists. Shown once, like the code itself.
 */
export function shareCodeCard(
  code: string,
  issued: { sections: readonly Section[]; expiresAt: string; language: string },
): ShareCodeCard {
  const language = chooseLanguage(issued.language);
  const words = new Words(language);
  const sections = issued.sections.map((s) => words.t(`section.${s}`)).join(', ');
  const html = [
    `<!doctype html><html lang="${e(language)}"><head><meta charset="utf-8">`,
    `<title>${e(words.t('card.title'))}</title><style>${CSS}</style></head><body><div class="card">`,
    `<h1>${e(words.t('card.title'))}</h1>`,
    `<p>${e(words.t('card.intro'))}</p>`,
    `<p class="code">${e(code)}</p>`,
    `<p>${e(words.t('card.opens', { sections }))}</p>`,
    `<p>${e(words.t('card.valid', { date: words.date(issued.expiresAt) }))}</p>`,
    `<p>${e(words.t('card.keep'))}</p>`,
    '</div></body></html>',
  ].join('');
  return { language, html };
}
