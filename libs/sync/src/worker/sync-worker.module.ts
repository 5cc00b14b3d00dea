import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SyncProcessor } from './sync-processor';
import { SyncScheduler } from './sync-scheduler';
import { WorkerHeartbeat } from './worker-heartbeat';
import { RetentionScheduler } from './retention-scheduler';

/**
 * The worker: scheduler + processor. Needs StoreModule and SyncQueueModule in the application.
 * The worker app runs it alone; the api runs it in-process in the embedded mode.
 */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [SyncScheduler, SyncProcessor, WorkerHeartbeat, RetentionScheduler],
  exports: [SyncScheduler, SyncProcessor, WorkerHeartbeat, RetentionScheduler],
})
export class SyncWorkerModule {}
