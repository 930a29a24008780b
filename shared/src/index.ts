export * from './api.ts';
export * from './card-event.ts';
export * from './card-id.ts';
export * from './log.ts';
export * from './profile-file.ts';
export * from './conversion/index.ts';
