export * from './clouds';
export * from './dimensions';
export * from './errors';
export * from './accounts';
export * from './costs';
export * from './auth';
export * from './dates';
export * from './analytics';
