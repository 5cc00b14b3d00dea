import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { reportSubscriptionInputSchema, reportSubscriptionListSchema, reportSubscriptionSchema, reportSubscriptionsQuerySchema, type ReportSubscription, type ReportSubscriptionInput } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import type { Response } from 'express';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { ReportSubscriptionInputPipe, ReportSubscriptionsQueryPipe } from './report-subscriptions.dto';
import { ReportSubscriptionsService } from './report-subscriptions.service';

@Controller()
export class ReportSubscriptionsController {
  constructor(private readonly subscriptions: ReportSubscriptionsService) {}

  @ApiDoc({ tag: 'Scheduled reports', summary: "Your report subscriptions (all=true: everyone's, organisation owner only)", query: reportSubscriptionsQuerySchema, response: reportSubscriptionListSchema })
  @RequirePermission('costs:read')
  @Get('report-subscriptions')
  list(@CurrentPrincipal() p: Principal, @Query(ReportSubscriptionsQueryPipe) q: { all: boolean }): Promise<{ items: ReportSubscription[] }> {
    return this.subscriptions.list(p, q.all);
  }

  @ApiDoc({ tag: 'Scheduled reports', summary: 'Unsubscribe (yours; the organisation owner: anyone’s)', status: 204 })
  @RequirePermission('costs:read')
  @Delete('report-subscriptions/:id')
  @HttpCode(204)
  remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    return this.subscriptions.remove(p, id);
  }

  @ApiDoc({ tag: 'Scheduled reports', summary: "Subscriptions to a view you can see (yours; the organisation owner: everyone's)", response: reportSubscriptionListSchema })
  @RequirePermission('costs:read')
  @Get('saved-views/:id/subscriptions')
  listForView(@CurrentPrincipal() p: Principal, @RequestScope() scope: AccessScope, @Param('id') id: string): Promise<{ items: ReportSubscription[] }> {
    return this.subscriptions.listForView(p, scope, id);
  }

  @ApiDoc({
    tag: 'Scheduled reports',
    summary: 'Subscribe yourself to a cost view you can see (daily, weekly, monthly); again = change the frequency',
    body: reportSubscriptionInputSchema,
    response: reportSubscriptionSchema,
    status: 201,
    example: { body: { frequency: 'weekly' } },
  })
  @RequirePermission('costs:read')
  @Post('saved-views/:id/subscriptions')
  async subscribe(
    @CurrentPrincipal() p: Principal,
    @RequestScope() scope: AccessScope,
    @Param('id') id: string,
    @Body(ReportSubscriptionInputPipe) body: ReportSubscriptionInput,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportSubscription> {
    const { subscription, created } = await this.subscriptions.subscribe(p, scope, id, body.frequency);
    res.status(created ? 201 : 200);
    return subscription;
  }
}
