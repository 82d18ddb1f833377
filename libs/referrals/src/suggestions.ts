import { Inject, Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import type { Principal } from '@harbour/auth';
import { consentDecider, consentStream } from '@harbour/consent';
import { intakeDecider, intakeStream, referralConsentFor, SurvivorRecordReader } from '@harbour/intake';
import { AgencyLookup, DirectoryQueries } from '@harbour/network';
import { type NeedCategory, type Sector } from '@harbour/vocabulary';

export interface SuggestedService {
  serviceId: string;
  name: string;
  needs: NeedCategory[];
  languages: string[];
  regions: string[];
  acceptingReferrals: boolean;
  responseWindowHours: number;
}

export interface SuggestedAgency {
  agencyId: string;
  agencyName: string;
  sector: Sector;
  /** The survivor's open needs this agency has a service for. */
  needs: NeedCategory[];
  /** The consent a referral to it would rest on. */
  consentId: string;
  services: SuggestedService[];
}

/**
 * Agencies to refer a survivor to for their open needs: the directory (active agencies,
 * services accepting referrals) narrowed to active core agencies that an in-force consent for
 * `referral` covers and no exclusion shuts out. Addresses are never part of a suggestion.
 */
@Injectable()
export class ReferralSuggestions {
  constructor(
    private readonly reader: SurvivorRecordReader,
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly directory: DirectoryQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async suggest(
    principal: Principal,
    survivorId: string,
    requestId: string,
  ): Promise<{ survivorId: string; openNeeds: NeedCategory[]; agencies: SuggestedAgency[] }> {
    // The open needs come through the one audited read path (decision point + access event).
    const record = await this.reader.read({
      principal,
      survivorId,
      purpose: 'referral',
      sections: ['needs'],
      requestId,
      route: 'GET /v1/intakes/:survivorId/referral-suggestions',
    });
    const needs = (
      (record.sections.needs as { needs?: Array<{ category: NeedCategory }> } | undefined)?.needs ?? []
    ).map((n) => n.category);
    const [{ state: consents }, { state: intake }] = await Promise.all([
      this.current.load(consentStream(survivorId), consentDecider),
      this.current.load(intakeStream(survivorId), intakeDecider),
    ]);
    const careTeam = intake.status === 'open' ? intake.careTeamAgencyIds : [];
    const now = this.clock.now();
    const byAgency = new Map<string, SuggestedAgency>();
    for (const need of needs) {
      for (let page = 1; ; page++) {
        const found = await this.directory.search({ need, acceptingReferrals: true, page, pageSize: 100 });
        for (const s of found.items) {
          if (careTeam.includes(s.agencyId)) continue;
          let entry = byAgency.get(s.agencyId);
          if (!entry) {
            entry = {
              agencyId: s.agencyId,
              agencyName: s.agencyName,
              sector: 'other',
              needs: [],
              consentId: '',
              services: [],
            };
            byAgency.set(s.agencyId, entry);
          }
          if (!entry.needs.includes(need)) entry.needs.push(need);
          if (!entry.services.some((x) => x.serviceId === s.serviceId)) {
            entry.services.push({
              serviceId: s.serviceId,
              name: s.name,
              needs: s.needs,
              languages: s.languages,
              regions: s.regions,
              acceptingReferrals: s.acceptingReferrals,
              responseWindowHours: s.responseWindowHours,
            });
          }
        }
        if (page * 100 >= found.total) break;
      }
    }
    const suggestions: SuggestedAgency[] = [];
    for (const entry of byAgency.values()) {
      const agency = await this.agencies.of(entry.agencyId);
      if (agency.status !== 'active' || agency.tier !== 'core') continue;
      const { consent, exclusion } = referralConsentFor(consents, entry.agencyId, agency, now);
      if (exclusion || !consent) continue;
      suggestions.push({ ...entry, sector: agency.sector, consentId: consent.consentId });
    }
    suggestions.sort((a, b) => b.needs.length - a.needs.length || a.agencyName.localeCompare(b.agencyName));
    return { survivorId, openNeeds: needs, agencies: suggestions };
  }
}
