// The documents of the release process, each in the process's own template: the scope document, the weekly status
// update and the customers' release notes. Pure functions of the release (and what planning computed about it).
export { scopeDocument } from './scope-document.js';
export { weeklyStatus, type WeeklyStatusInput } from './weekly-status.js';
export { releaseNotes } from './release-notes.js';
