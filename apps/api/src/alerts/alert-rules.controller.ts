import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { alertRuleInputSchema, alertRuleListSchema, alertRuleSchema, type AlertRule } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { AlertRuleInputPipe, AlertRulePatchPipe, alertRulePatchSchema, type AlertRulePatch } from './alerts.dto';
import { AlertRulesService } from './alert-rules.service';

const TAG = 'Budgets and alert rules';
const BUDGET_EXAMPLE = {
  name: 'EU monthly budget',
  kind: 'budget',
  budget: { scope: { kind: 'account', accountId: 'eu' }, period: 'monthly', amount: '25000', currency: 'EUR', thresholds: [{ percent: 80, basis: 'actual' }, { percent: 100, basis: 'forecast' }] },
  channelIds: [],
};

@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @ApiDoc({ tag: TAG, summary: 'Budgets and alert rules on the accounts you see in full, with each budget\'s last actual, forecast and used %', response: alertRuleListSchema })
  @RequirePermission('alerts:read')
  @Get()
  list(@RequestScope() scope: AccessScope): Promise<{ items: AlertRule[] }> {
    return this.rules.list(scope);
  }

  @ApiDoc({ tag: TAG, summary: 'Create a budget (kind budget) or an anomaly, sync-health or sandbox-cap rule; rules spanning accounts need all accounts', body: alertRuleInputSchema, response: alertRuleSchema, status: 201, example: { body: BUDGET_EXAMPLE } })
  @RequirePermission('alerts:manage')
  @Post()
  create(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Body(AlertRuleInputPipe) body: ReturnType<typeof alertRuleInputSchema.parse>): Promise<AlertRule> {
    return this.rules.create(scope, body, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: 'One rule', response: alertRuleSchema })
  @RequirePermission('alerts:read')
  @Get(':id')
  get(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<AlertRule> {
    return this.rules.get(scope, id);
  }

  @ApiDoc({ tag: TAG, summary: 'Change a rule: the fields given replace the current ones (a kind\'s settings as a whole)', body: alertRulePatchSchema, response: alertRuleSchema, example: { body: { enabled: false } } })
  @RequirePermission('alerts:manage')
  @Patch(':id')
  update(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('id') id: string, @Body(AlertRulePatchPipe) body: AlertRulePatch): Promise<AlertRule> {
    return this.rules.update(scope, id, body, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: 'Delete a rule (its alerts stay in the history)', status: 204 })
  @RequirePermission('alerts:manage')
  @Delete(':id')
  @HttpCode(204)
  remove(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    return this.rules.remove(scope, id, { userId: p.userId });
  }
}
