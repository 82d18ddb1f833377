/** Agency ids are UUIDs (newId); checked before booting, and before a uuid column would refuse it. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const agencyIdProblem = (id: string): string | null =>
  UUID.test(id) ? null : '--agency must be an agency id (a UUID)';
