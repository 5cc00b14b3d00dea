import { z } from 'zod';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Store } from '@meridian/store';
import { checkReadiness, SYNC_QUEUE, WORKER_CONFIG, type Readiness, type SyncQueue, type WorkerConfig } from '@meridian/sync';
import { Public } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { API_CONFIG, ApiConfig } from '../api.config';

const check = z.object({ ok: z.boolean(), error: z.string().optional() }).passthrough();
const readinessSchema = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.object({ database: check, migrations: check, redis: check.optional(), worker: check }),
});

@Controller('health')
export class HealthController {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(WORKER_CONFIG) private readonly workerConfig: WorkerConfig,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @ApiDoc({ tag: 'Health', summary: 'Liveness and database reachability', response: z.object({ status: z.literal('ok'), database: z.string() }) })
  @Public()
  @Get()
  async health(): Promise<{ status: 'ok'; database: string }> {
    await this.store.dataSource.query('SELECT 1');
    return { status: 'ok', database: this.store.dataSource.options.type };
  }

  @ApiDoc({ tag: 'Health', summary: 'Liveness: the process is up and answering (checks nothing else)', response: z.object({ status: z.literal('ok') }) })
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @ApiDoc({
    tag: 'Health',
    summary: 'Readiness: database reachable and migrated, Redis answering (when used), a worker heartbeat recent; 503 names the failed check',
    response: readinessSchema,
  })
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const readiness = await checkReadiness(this.store, this.queue, {
      redis: this.workerConfig.redisUrl !== undefined,
      maxHeartbeatAgeSeconds: this.config.readyHeartbeatSeconds,
    });
    res.status(readiness.status === 'ready' ? 200 : 503);
    return readiness;
  }
}
