/** The access log as a table: who read what of whose record, on what grounds, with what outcome. */
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { link, shortId, table, when } from '../oversight-kit.js';
import type { TrailItem } from './vocabulary.js';

export function trailTable(caption: string, items: TrailItem[]): HTMLElement {
  return table(
    caption,
    [
      t('privacy.col.at'),
      t('privacy.col.survivor'),
      t('privacy.col.who'),
      t('privacy.col.purpose'),
      t('privacy.col.outcome'),
      t('privacy.col.sections'),
      t('privacy.col.basis'),
    ],
    items.map((i) => [
      when(i.at),
      link(`#/privacy/survivors/${i.survivorId}`, shortId(i.survivorId)),
      h(
        'span',
        {},
        h('code', {}, i.actor.userId),
        i.actor.role ? ` (${t(`role.${i.actor.role}`)})` : '',
        i.actor.agencyId ? h('span', { class: 'muted' }, ' · ', shortId(i.actor.agencyId)) : null,
      ),
      i.kind === 'log-view'
        ? t('privacy.log-view', { view: i.view ?? '' })
        : i.purpose
          ? t(`purpose.${i.purpose}`)
          : t('kit.none'),
      h('span', { class: `outcome outcome-${i.outcome}` }, t(`outcome.${i.outcome}`)),
      h(
        'span',
        {},
        i.sectionsReturned.length ? t('privacy.returned', { sections: i.sectionsReturned.join(', ') }) : '',
        i.sectionsWithheld.length
          ? h(
              'span',
              { class: 'withheld' },
              ' ',
              t('privacy.withheld', { sections: i.sectionsWithheld.map((w) => w.section).join(', ') }),
            )
          : null,
      ),
      [...new Set(i.basis.map((b) => t(`basis.${b.kind}`)))].join(', ') || t('kit.none'),
    ]),
  );
}
