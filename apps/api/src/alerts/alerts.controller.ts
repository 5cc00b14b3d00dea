import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { alertEventDetailSchema, alertEventListSchema, alertEventSchema, alertEventsQuerySchema, evaluationResultSchema, digestResultSchema, type AlertEvent, type DigestResult, type AlertEventsQuery, type DeliveryAttemptDto, type EvaluationResult } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { AlertEventsQueryPipe } from './alerts.dto';
import { AlertsService } from './alerts.service';

const TAG = 'Alerts';

@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @ApiDoc({ tag: TAG, summary: 'Alerts, newest first, whose accounts you all see (filter by status, category, rule)', query: alertEventsQuerySchema, response: alertEventListSchema, example: { query: 'status=open&limit=20' } })
  @RequirePermission('alerts:read')
  @Get()
  list(@RequestScope() scope: AccessScope, @Query(AlertEventsQueryPipe) q: AlertEventsQuery): Promise<{ items: AlertEvent[]; total: number }> {
    return this.alerts.list(scope, q);
  }

  @ApiDoc({ tag: TAG, summary: 'Evaluate every rule now (ops or admin on all accounts); the worker does this after each sync and daily', response: evaluationResultSchema, status: 200 })
  @RequirePermission('alerts:manage')
  @Post('evaluate')
  @HttpCode(200)
  evaluate(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal): Promise<EvaluationResult> {
    return this.alerts.evaluate(scope, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: "Send last week's cost digest now to the channels that opted in (once per channel and week; the worker sends it on Mondays)", response: digestResultSchema, status: 200 })
  @RequirePermission('alerts:manage')
  @Post('digest')
  @HttpCode(200)
  digest(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal): Promise<DigestResult> {
    return this.alerts.sendDigest(scope, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: 'One alert with its notification delivery attempts', response: alertEventDetailSchema })
  @RequirePermission('alerts:read')
  @Get(':id')
  get(@RequestScope() scope: AccessScope, @Param('id') id: string): Promise<AlertEvent & { deliveries: DeliveryAttemptDto[] }> {
    return this.alerts.get(scope, id);
  }

  @ApiDoc({ tag: TAG, summary: 'Acknowledge an open alert (silent until it resolves); acknowledging again changes nothing', response: alertEventSchema, status: 200 })
  @RequirePermission('alerts:manage')
  @Post(':id/acknowledge')
  @HttpCode(200)
  acknowledge(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<AlertEvent> {
    return this.alerts.acknowledge(scope, id, { userId: p.userId });
  }
}
