export * from './job-lock.js';
export * from './periodic-job.js';
export * from './periodic-jobs.js';
