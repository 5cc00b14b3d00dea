import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestPinoLogger } from '@meridian/observability';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), { bufferLogs: true });
  app.useLogger(app.get(NestPinoLogger));
  // SIGTERM/SIGINT: stop taking jobs, let running syncs finish, close Redis and the database.
  app.enableShutdownHooks();
  new Logger('Worker').log(`worker started (${process.env.REDIS_URL ? 'BullMQ on Redis' : 'in-process queue'})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
