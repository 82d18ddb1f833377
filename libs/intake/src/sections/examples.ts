import type { Section } from '@harbour/consent';

/** Synthetic, realistic content for every section (no real person): the OpenAPI examples, checked by the section tests. */
export const SECTION_EXAMPLES: Record<Section, Record<string, unknown>> = {
  identity: {
    legalName: 'Synthetic Person Example',
    preferredName: 'Sam',
    ageBand: '25-34',
    gender: 'woman',
    pronouns: 'she/her',
    nationality: 'PH',
    identityDocuments: [
      { kind: 'passport', heldBy: 'employer', expires: '2027-03-31' },
      { kind: 'national-id', heldBy: 'survivor' },
    ],
  },
  contact: {
    phone: '+1 (416) 555-0142',
    email: 'sam.example@example.org',
    safeToContact: { phone: true, text: false, email: true, voicemail: false },
    safeTimes: 'Weekdays 10:00–14:00 only',
    contactThrough: { name: 'Trusted Friend', phone: '416-555-0199', relationship: 'friend' },
  },
  safety: {
    riskLevel: 'high',
    risks: [{ kind: 'trafficker-contact', notes: 'Former employer has called twice.' }, { kind: 'debt-bondage' }],
    safetyPlan: 'Keep phone on silent at the shelter; code word with caseworker.',
    lastReviewed: '2025-05-14',
  },
  immigration: {
    status: 'temporary-resident',
    documents: [{ kind: 'work-permit', expires: '2025-09-30', notes: 'Employer-specific permit' }],
    hasLawyer: false,
    deadlines: [{ what: 'Apply for open work permit for vulnerable workers', date: '2025-08-01' }],
  },
  health: {
    conditions: 'Back injury from warehouse work',
    medications: 'Ibuprofen as needed',
    pregnancy: false,
    mentalHealthSupport: true,
    notes: 'Prefers a woman doctor.',
  },
  legal: {
    matters: [
      { kind: 'criminal', role: 'witness', status: 'charges laid', nextDate: '2025-10-02' },
      { kind: 'labour', role: 'party' },
    ],
    lawyer: { name: 'Counsel Example', organisation: 'Community Legal Clinic', phone: '+1 416 555 0100' },
  },
  housing: { situation: 'shelter', needsBy: '2025-07-15', notes: 'Shelter stay ends mid-July.' },
  income: {
    sources: [{ kind: 'benefits', amountMonthly: 733.5 }],
    debts: 'Claims of a recruitment debt',
    bankAccount: false,
  },
  dependants: { dependants: [{ relationship: 'child', ageBand: '5-11', livesWithSurvivor: false, atRisk: true }] },
  story: {
    narrative: 'Synthetic narrative: recruited abroad for a job that did not exist...',
    toldOn: '2025-05-10',
    toldTo: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    language: 'tl',
  },
  needs: {
    needs: [
      { category: 'housing', urgency: 'high' },
      { category: 'immigration', urgency: 'medium', notes: 'Permit expires in September' },
    ],
  },
  preferences: {
    language: 'pt-BR',
    interpreter: true,
    interpreterLanguage: 'pt',
    workerGender: 'women',
    culturalSupports: ['Catholic chaplaincy'],
    contactPreferences: 'Through the shelter office only',
  },
  goals: {
    goals: [
      {
        goalId: '6a0e1f2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        inOwnWords: 'A flat of my own where my daughter can visit',
        category: 'housing',
        steps: [
          { step: 'Apply for the housing list', status: 'done' },
          { step: 'View two flats', status: 'to-do' },
        ],
        helpers: [{ sector: 'housing', role: 'housing worker' }],
        status: 'underway',
        progress: 3,
        setOn: '2025-05-20',
      },
    ],
  },
};
