import { z } from 'zod';
import { accountConnectionSchema, accountListSchema, accountSchema, accountUpdateSchema, backfillRequestSchema, connectionTestResultSchema, connectionTestSchema, syncJobsResponseSchema, syncRunSchema } from '@meridian/contracts';
import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { Account, AccountConnection, AccountList, AccountUpdate, BackfillRequest, ConnectionTestResult, SyncJobsResponse, SyncRun } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { AccountConnectionPipe, AccountUpdatePipe, BackfillRequestPipe, ConnectionTestPipe } from './accounts.dto';
import { AccountsService } from './accounts.service';
import { ApiDoc } from '../openapi/api-doc.decorator';

@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @ApiDoc({ tag: 'Accounts', summary: 'Connected Partner Center accounts with status, freshness and per-stream schedule', response: accountListSchema })
  @RequirePermission('accounts:read')
  @Get()
  list(@RequestScope() scope: AccessScope): Promise<AccountList> {
    return this.accounts.list(scope);
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Connect an account (owner); the secret is sealed and never returned', body: accountConnectionSchema, response: accountSchema, example: { body: { id: 'emea', name: 'Contoso EMEA', cloud: 'global', tenantId: '00000000-0000-0000-0000-000000000001', appId: '00000000-0000-0000-0000-000000000002', secret: '…', currency: 'EUR' } } })
  @RequirePermission('accounts:manage')
  @Post()
  create(@RequestScope() scope: AccessScope, @CurrentPrincipal() user: Principal, @Body(AccountConnectionPipe) body: AccountConnection): Promise<Account> {
    return this.accounts.create(scope, body, { userId: user.userId, via: 'api' });
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Test credentials before saving: sign in and read one page of customers', body: connectionTestSchema, response: connectionTestResultSchema, status: 200 })
  @RequirePermission('accounts:manage')
  @Post('test-connection')
  @HttpCode(200)
  testUnsaved(@RequestScope() scope: AccessScope, @Body(ConnectionTestPipe) body: Omit<AccountConnection, 'id' | 'syncIntervalMinutes' | 'enabled' | 'sandbox'>): Promise<ConnectionTestResult> {
    return this.accounts.testUnsaved(scope, body);
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Change a connection (name, secret, schedule, endpoints…)', body: accountUpdateSchema, response: accountSchema, example: { body: { syncIntervalMinutes: 30 } } })
  @RequirePermission('accounts:manage')
  @Patch(':id')
  update(@RequestScope() scope: AccessScope, @CurrentPrincipal() user: Principal, @Param('id') id: string, @Body(AccountUpdatePipe) body: AccountUpdate): Promise<Account> {
    return this.accounts.update(scope, id, body, { userId: user.userId, via: 'api' });
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Test the stored connection', response: connectionTestResultSchema, status: 200 })
  @RequirePermission('accounts:manage')
  @Post(':id/test')
  @HttpCode(200)
  testSaved(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<ConnectionTestResult> {
    return this.accounts.testSaved(scope, id);
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Recent sync runs with progress (pages, rows, quarantined, ETA)', response: z.object({ items: z.array(syncRunSchema) }) })
  @RequirePermission('accounts:read')
  @Get(':id/sync-runs')
  syncRuns(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<{ items: SyncRun[] }> {
    return this.accounts.syncRuns(scope, id);
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Sync now (queued; duplicates are ignored)', response: syncJobsResponseSchema, status: 202 })
  @RequirePermission('sync:run')
  @Post(':id/sync')
  @HttpCode(202)
  syncNow(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<SyncJobsResponse> {
    return this.accounts.syncNow(scope, id);
  }

  @ApiDoc({ tag: 'Accounts', summary: 'Backfill closed months from their invoices (billed usage)', body: backfillRequestSchema, response: syncJobsResponseSchema, status: 202, example: { body: { from: '2026-01', to: '2026-06' } } })
  @RequirePermission('accounts:manage')
  @Post(':id/backfill')
  @HttpCode(202)
  backfill(@RequestScope() scope: AccessScope, @Param('id') id: string, @Body(BackfillRequestPipe) body: BackfillRequest): Promise<SyncJobsResponse> {
    return this.accounts.backfill(scope, id, body);
  }
}
