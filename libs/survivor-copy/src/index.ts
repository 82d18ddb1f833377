export * from './copy.js';
export * from './copy.dto.js';
export * from './copy.service.js';
export * from './html.js';
export * from './survivor-copy.module.js';
export * from './translations.js';
