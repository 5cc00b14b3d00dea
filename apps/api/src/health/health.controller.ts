import { z } from 'zod';
import { Controller, Get, Inject } from '@nestjs/common';
import { Store } from '@meridian/store';
import { Public } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/api-doc.decorator';

@Controller('health')
export class HealthController {
  constructor(@Inject(Store) private readonly store: Store) {}

  @ApiDoc({ tag: 'Health', summary: 'Liveness and database reachability', response: z.object({ status: z.literal('ok'), database: z.string() }) })
  @Public()
  @Get()
  async health(): Promise<{ status: 'ok'; database: string }> {
    await this.store.dataSource.query('SELECT 1');
    return { status: 'ok', database: this.store.dataSource.options.type };
  }
}
