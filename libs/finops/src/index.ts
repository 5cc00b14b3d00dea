export * from './decimal';
export * from './grouped-sum';
export * from './calendar';
export * from './forecast';
export * from './anomaly';
export * from './budget';
export * from './alert-state';
export * from './sandbox-cap';
