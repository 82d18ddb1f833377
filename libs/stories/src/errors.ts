import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the stories lib's DomainErrors; clients switch on these, so never rename one. */
export const StoryErrors = {
  notAWorker: {
    code: 'not-a-worker',
    kind: 'forbidden',
    message: 'Only caseworkers and supervisors draft impact stories',
  },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  recordErased: { code: 'record-erased', kind: 'gone', message: 'This record was erased at the survivor’s request' },
  notConsented: {
    code: 'impact-story-not-consented',
    kind: 'forbidden',
    message: 'The survivor has not consented to an impact story drafted by your agency',
  },
  storyNotFound: { code: 'impact-story-not-found', kind: 'not-found', message: 'Impact story was not found' },
  identifying: {
    code: 'impact-story-identifying',
    kind: 'conflict',
    message:
      'The story still contains values from the record (see `found`: which kinds, never the values); remove them before exporting',
  },
} as const satisfies ErrorCatalogue;
