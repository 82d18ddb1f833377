/** Privacy officer: the audit log's integrity (hash chains, signed checkpoints) and the latest checkpoint. */
import { api } from '../../api.js';
import { type Child, h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import { when } from '../oversight-kit.js';
import { PRIVACY_ROLES } from './vocabulary.js';

interface IntegrityView {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  firstBad: { kind: string; problem: string; explanation: string; globalPosition?: string; streamId?: string } | null;
  checkpoints: Record<string, unknown>;
}

interface Checkpoint {
  sequence: number;
  fromPosition: string;
  toPosition: string;
  eventCount: number;
  merkleRoot: string;
  keyId: string;
  algorithm: string;
  signedAt: string;
}

const row = (term: string, detail: Child) => [h('dt', {}, term), h('dd', {}, detail)];

function verification(v: IntegrityView, at: string): Child[] {
  const cp = v.checkpoints;
  return [
    h(
      'p',
      { class: v.ok ? 'verdict ok' : 'verdict bad', role: v.ok ? 'status' : 'alert' },
      t(v.ok ? 'privacy.integrity.ok' : 'privacy.integrity.bad'),
    ),
    h(
      'dl',
      { class: 'facts' },
      row(t('privacy.integrity.verified-at'), when(at)),
      row(t('privacy.integrity.events'), v.eventsChecked),
      row(t('privacy.integrity.streams'), v.streamsChecked),
      row(
        t('privacy.integrity.checkpoints'),
        typeof cp.checkpointsChecked === 'number' ? cp.checkpointsChecked : t('kit.none'),
      ),
      row(t('privacy.integrity.covered'), typeof cp.eventsCovered === 'number' ? cp.eventsCovered : t('kit.none')),
      v.firstBad ? row(t('privacy.integrity.first-bad'), `${v.firstBad.problem}: ${v.firstBad.explanation}`) : null,
    ),
  ];
}

function checkpoint(c: Checkpoint | null): Child {
  if (!c) return h('p', { class: 'empty' }, t('privacy.integrity.no-checkpoint'));
  return h(
    'dl',
    { class: 'facts' },
    row(t('privacy.integrity.sequence'), c.sequence),
    row(t('privacy.integrity.signed-at'), when(c.signedAt)),
    row(t('privacy.integrity.positions'), `${c.fromPosition} – ${c.toPosition} (${c.eventCount})`),
    row(t('privacy.integrity.root'), h('code', { class: 'wrap' }, c.merkleRoot)),
    row(t('privacy.integrity.key'), h('code', {}, `${c.keyId} (${c.algorithm})`)),
  );
}

function verifyNow(ctx: ScreenContext, target: HTMLElement): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: () => {
        void ctx
          .busy(t('privacy.integrity.verifying'), async () => {
            const { body } = await api.get<IntegrityView>('/v1/audit/integrity');
            replace(target, ...verification(body, new Date().toISOString()));
            ctx.announce(t(body.ok ? 'privacy.integrity.ok' : 'privacy.integrity.bad'));
          })
          .catch(() => undefined); // busy has shown the problem
      },
    },
    t('privacy.integrity.verify'),
  );
}

export const integrityScreen: Screen = {
  route: '#/privacy/integrity',
  title: 'privacy.integrity.title',
  nav: { roles: PRIVACY_ROLES, order: 43 },
  roles: PRIVACY_ROLES,
  async render(ctx) {
    const { body } = await api.get<{ checkpoint: Checkpoint | null }>('/v1/audit/integrity/checkpoints/latest');
    const result = h(
      'div',
      { class: 'region', 'aria-live': 'polite' },
      h('p', { class: 'empty' }, t('privacy.integrity.not-yet')),
    );
    return [
      h('p', {}, t('privacy.integrity.intro')),
      h(
        'section',
        { 'aria-labelledby': 'verify-heading' },
        h('h2', { id: 'verify-heading' }, t('privacy.integrity.verify-heading')),
        verifyNow(ctx, result),
        result,
      ),
      h(
        'section',
        { 'aria-labelledby': 'checkpoint-heading' },
        h('h2', { id: 'checkpoint-heading' }, t('privacy.integrity.latest')),
        checkpoint(body.checkpoint),
      ),
      h(
        'p',
        {},
        t('privacy.integrity.key-note'),
        ' ',
        h('a', { href: '/v1/audit/notary/public-key' }, t('privacy.integrity.key-link')),
      ),
    ];
  },
};
