// Grants → permissions and access scope live in the store, shared with the worker's scheduled reports.
export { mayUse, scopeFor, type Permission, type Principal } from '@meridian/store';
