import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AlertEvent, AlertEventsQuery, DeliveryAttemptDto, DigestResult, EvaluationResult } from '@meridian/contracts';
import { AccessScope, Store } from '@meridian/store';
import { apiNow } from '../common/clock';
import { ALERT_EVALUATOR, type AlertEvaluatorPort } from './alert-evaluator.port';

type Actor = { userId: string };

const notFound = (id: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message: `alert ${id} not found` });

/**
 * Alert events as users see them: the store shows an event when the caller sees every account it
 * concerns in full (an event concerning no account in particular needs every account).
 */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(ALERT_EVALUATOR) private readonly evaluator: AlertEvaluatorPort,
  ) {}

  list(scope: AccessScope, query: AlertEventsQuery): Promise<{ items: AlertEvent[]; total: number }> {
    return this.store.alertEvents.list(scope, query);
  }

  async get(scope: AccessScope, id: string): Promise<AlertEvent & { deliveries: DeliveryAttemptDto[] }> {
    const event = await this.store.alertEvents.get(scope, id);
    if (!event) throw notFound(id);
    return { ...event, deliveries: await this.store.deliveries.listForEvent(id) };
  }

  /** Open → acknowledged; acknowledging again (or a resolved alert) changes nothing. */
  async acknowledge(scope: AccessScope, id: string, actor: Actor): Promise<AlertEvent> {
    const before = await this.store.alertEvents.get(scope, id);
    if (!before) throw notFound(id);
    const event = await this.store.alertEvents.acknowledge(scope, id, actor.userId, apiNow());
    if (!event) throw notFound(id);
    if (before.status === 'open' && event.status === 'acknowledged') {
      await this.store.audit.record({ userId: actor.userId, action: 'alert.acknowledge', target: id, details: { ruleId: event.ruleId, periodKey: event.periodKey } });
    }
    return event;
  }

  /** Runs every rule now (rules span accounts, so this is for whoever manages alerts everywhere). */
  async evaluate(scope: AccessScope, actor: Actor): Promise<EvaluationResult> {
    if (scope.ids() !== undefined) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'evaluating every rule needs ops or admin on all accounts' });
    const result = await this.evaluator.evaluate({ at: apiNow() });
    await this.store.audit.record({ userId: actor.userId, action: 'alerts.evaluate', target: null, details: { rules: result.rules, fired: result.fired, resolved: result.resolved } });
    return result;
  }

  /** Sends last week's digest now (it goes to channels of every account, like evaluate). */
  async sendDigest(scope: AccessScope, actor: Actor): Promise<DigestResult> {
    if (scope.ids() !== undefined) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'sending the digest needs ops or admin on all accounts' });
    const result = await this.evaluator.sendWeeklyDigest({ at: apiNow() });
    await this.store.audit.record({ userId: actor.userId, action: 'alerts.digest', target: null, details: { ...result } });
    return result;
  }
}
