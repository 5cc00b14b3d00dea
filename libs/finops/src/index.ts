export * from './decimal';
export * from './grouped-sum';
