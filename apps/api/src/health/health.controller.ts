import { Controller, Get, Inject } from '@nestjs/common';
import { Store } from '@meridian/store';
import { Public } from '../auth/auth.decorators';

@Controller('health')
export class HealthController {
  constructor(@Inject(Store) private readonly store: Store) {}

  @Public()
  @Get()
  async health(): Promise<{ status: 'ok'; database: string }> {
    await this.store.dataSource.query('SELECT 1');
    return { status: 'ok', database: this.store.dataSource.options.type };
  }
}
