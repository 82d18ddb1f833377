/** One time a survivor's share code opened their record to an agency (libs/sharing answers these). */
export interface ShareCodeUse {
  codeId: string;
  at: string;
  agencyId: string;
  agencyName: string | null;
  sections: string[];
  purposes: string[];
}

/**
 * Port to libs/sharing (which depends on this lib, not the reverse): where and when the
 * survivor's share codes were used, for their disclosure report. An application without the
 * sharing context binds nothing, and the report lists none.
 */
export abstract class ShareCodeUses {
  abstract forSurvivor(survivorId: string): Promise<ShareCodeUse[]>;
}
