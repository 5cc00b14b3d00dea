import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Account, AccountConnection, AccountList, AccountUpdate, BackfillRequest, ConnectionTestResult, SyncJobsResponse, SyncRun } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { AccountConnectionPipe, AccountUpdatePipe, BackfillRequestPipe, ConnectionTestPipe } from './accounts.dto';
import { AccountsService } from './accounts.service';

@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @RequirePermission('accounts:read')
  @Get()
  list(@RequestScope() scope: AccessScope): Promise<AccountList> {
    return this.accounts.list(scope);
  }

  @RequirePermission('accounts:manage')
  @Post()
  create(@RequestScope() scope: AccessScope, @CurrentPrincipal() user: Principal, @Body(AccountConnectionPipe) body: AccountConnection): Promise<Account> {
    return this.accounts.create(scope, body, { userId: user.userId, via: 'api' });
  }

  @RequirePermission('accounts:manage')
  @Post('test-connection')
  @HttpCode(200)
  testUnsaved(@RequestScope() scope: AccessScope, @Body(ConnectionTestPipe) body: Omit<AccountConnection, 'id' | 'syncIntervalMinutes' | 'enabled' | 'sandbox'>): Promise<ConnectionTestResult> {
    return this.accounts.testUnsaved(scope, body);
  }

  @RequirePermission('accounts:manage')
  @Patch(':id')
  update(@RequestScope() scope: AccessScope, @CurrentPrincipal() user: Principal, @Param('id') id: string, @Body(AccountUpdatePipe) body: AccountUpdate): Promise<Account> {
    return this.accounts.update(scope, id, body, { userId: user.userId, via: 'api' });
  }

  @RequirePermission('accounts:manage')
  @Post(':id/test')
  @HttpCode(200)
  testSaved(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<ConnectionTestResult> {
    return this.accounts.testSaved(scope, id);
  }

  @RequirePermission('accounts:read')
  @Get(':id/sync-runs')
  syncRuns(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<{ items: SyncRun[] }> {
    return this.accounts.syncRuns(scope, id);
  }

  @RequirePermission('sync:run')
  @Post(':id/sync')
  @HttpCode(202)
  syncNow(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<SyncJobsResponse> {
    return this.accounts.syncNow(scope, id);
  }

  @RequirePermission('accounts:manage')
  @Post(':id/backfill')
  @HttpCode(202)
  backfill(@RequestScope() scope: AccessScope, @Param('id') id: string, @Body(BackfillRequestPipe) body: BackfillRequest): Promise<SyncJobsResponse> {
    return this.accounts.backfill(scope, id, body);
  }
}
