export * from './metrics';
export * from './metrics-access';
export * from './log-context';
export * from './logger';
export * from './observability.module';
export * from './request-logging';
export { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
