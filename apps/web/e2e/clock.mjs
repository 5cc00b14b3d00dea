// The e2e runs the whole stack at one pinned moment — simulator, api, browser and these checks —
// so it sees the same month whatever day it runs (on the 1st, month to date would be empty).
// MERIDIAN_E2E_NOW moves it.
export const E2E_NOW = new Date(process.env.MERIDIAN_E2E_NOW || '2026-11-25T12:00:00.000Z');
export const now = () => new Date(E2E_NOW);
export const today = () => E2E_NOW.toISOString().slice(0, 10);
