export * from './notice';
export * from './email';
export * from './webhook';
export * from './delivery';
export * from './mime';
export * from './digest';
export * from './report';
