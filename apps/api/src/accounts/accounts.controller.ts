import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { AccountList, SyncRun } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { AccountsService } from './accounts.service';

@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @RequirePermission('accounts:read')
  @Get()
  list(@RequestScope() scope: AccessScope): Promise<AccountList> {
    return this.accounts.list(scope);
  }

  @RequirePermission('accounts:read')
  @Get(':id/sync-runs')
  syncRuns(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<{ items: SyncRun[] }> {
    return this.accounts.syncRuns(scope, id);
  }

  @RequirePermission('sync:run')
  @Post(':id/sync')
  @HttpCode(202)
  syncNow(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<{ jobs: { jobId: string; queued: boolean }[] }> {
    return this.accounts.syncNow(scope, id);
  }
}
