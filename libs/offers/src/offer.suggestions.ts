import { Inject, Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import type { Principal } from '@harbour/auth';
import { consentDecider, consentStream, exclusionOf } from '@harbour/consent';
import { SurvivorRecordReader } from '@harbour/intake';
import { AgencyLookup } from '@harbour/network';
import type { NeedCategory, Sector } from '@harbour/vocabulary';
import { needsOf } from './offer.handlers.js';
import { OfferQueries, type OfferView } from './offer.queries.js';

export interface SuggestedOffer extends OfferView {
  /** The survivor's open needs this offer answers. */
  matchedNeeds: NeedCategory[];
  /** Conditions the worker must still check with the survivor (age, gender: not read for matching). */
  conditionsToCheck: Array<'age' | 'gender'>;
}

/**
 * Offers for a survivor's open needs: open offers with units left, in the region asked for (if
 * any), in the survivor's language where the offer names languages, from active member agencies
 * that no exclusion of the survivor shuts out ("never corporate" removes every corporate offer).
 * The needs and the language come through the one audited read path (an access event), care
 * team only; identity is not read, so age and gender conditions are listed for the worker to check.
 */
@Injectable()
export class OfferSuggestions {
  constructor(
    private readonly reader: SurvivorRecordReader,
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly offers: OfferQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async suggest(principal: Principal, survivorId: string, requestId: string, region: string | undefined) {
    const record = await this.reader.read({
      principal,
      survivorId,
      purpose: 'care-coordination',
      sections: ['needs', 'preferences'],
      requestId,
      route: 'GET /v1/intakes/:survivorId/offer-suggestions',
      careTeamOnly: true,
    });
    const openNeeds = needsOf(record.sections.needs);
    const language = (record.sections.preferences as { language?: unknown } | undefined)?.language;
    const primary = typeof language === 'string' ? language.split('-')[0].toLowerCase() : null;
    const { state: consents } = await this.current.load(consentStream(survivorId), consentDecider);
    const now = this.clock.now();
    const standing = new Map<string, { active: boolean; sector: Sector | null }>();
    const suggestions: SuggestedOffer[] = [];
    const seen = new Set<string>();
    for (const need of openNeeds) {
      for (const offer of await this.offers.list({ need, region, openOnly: true, limit: 500 }, now)) {
        if (seen.has(offer.offerId) || offer.remaining < 1) continue;
        if (primary && offer.conditions.languages.length && !offer.conditions.languages.includes(primary)) continue;
        if (!standing.has(offer.agencyId)) {
          const agency = await this.agencies.of(offer.agencyId);
          standing.set(offer.agencyId, {
            active: agency.status === 'active',
            sector: agency.status === 'none' ? null : agency.sector,
          });
        }
        const s = standing.get(offer.agencyId)!;
        if (!s.active) continue;
        // Exclusions name the agency or its sector as it stands now (and as the offer was published).
        if (exclusionOf(consents.exclusions, { userId: null, agencyId: offer.agencyId, sector: s.sector })) continue;
        if (exclusionOf(consents.exclusions, { userId: null, agencyId: null, sector: offer.sector as Sector }))
          continue;
        seen.add(offer.offerId);
        const c = offer.conditions;
        suggestions.push({
          ...offer,
          matchedNeeds: openNeeds.filter((n) => offer.needs.includes(n)),
          conditionsToCheck: [
            ...(c.minAge !== null || c.maxAge !== null ? (['age'] as const) : []),
            ...(c.genders.length ? (['gender'] as const) : []),
          ],
        });
      }
    }
    suggestions.sort(
      (a, b) =>
        b.matchedNeeds.length - a.matchedNeeds.length ||
        Date.parse(a.validUntil) - Date.parse(b.validUntil) ||
        a.offerId.localeCompare(b.offerId),
    );
    return { survivorId, openNeeds, region: region ?? null, offers: suggestions };
  }
}
