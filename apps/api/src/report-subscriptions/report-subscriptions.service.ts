import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { REPORTABLE_VIEW_PATHS, viewReportSpec, type ReportFrequency, type ReportSubscription } from '@meridian/contracts';
import { AccessScope, Store, type ReportSubscriptionRecord } from '@meridian/store';
import type { Principal } from '../auth/permissions';

/**
 * Subscriptions of users to the scheduled reports of saved views (docs/decisions/0021). A user
 * subscribes only themself, and only to a cost view they can see (the same visibility as the view
 * itself: decision 0012); the organisation owner may list and delete anyone's. Whether a report is
 * actually sent is decided again at send time, under the subscriber's grants then.
 */
@Injectable()
export class ReportSubscriptionsService {
  constructor(@Inject(Store) private readonly store: Store) {}

  async list(p: Principal, all: boolean): Promise<{ items: ReportSubscription[] }> {
    if (all && !p.isOwner) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: "Only the organisation owner lists everyone's subscriptions." });
    return { items: (await this.store.reportSubscriptions.list(all ? {} : { userId: p.userId })).map(toDto) };
  }

  async listForView(p: Principal, scope: AccessScope, viewId: string): Promise<{ items: ReportSubscription[] }> {
    await this.visibleView(p, scope, viewId);
    return { items: (await this.store.reportSubscriptions.list({ viewId, ...(p.isOwner ? {} : { userId: p.userId }) })).map(toDto) };
  }

  async subscribe(p: Principal, scope: AccessScope, viewId: string, frequency: ReportFrequency): Promise<{ subscription: ReportSubscription; created: boolean }> {
    const view = await this.visibleView(p, scope, viewId);
    if (!viewReportSpec(view.path, view.query)) {
      const message = `is a ${view.path} view; only cost views can be sent as reports (${REPORTABLE_VIEW_PATHS.join(', ')})`;
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Invalid request: viewId: ${message}`, issues: [{ field: 'viewId', message }] });
    }
    const { record, created } = await this.store.reportSubscriptions.upsert(p.userId, viewId, frequency);
    await this.store.audit.record({ userId: p.userId, action: created ? 'report-subscription.create' : 'report-subscription.update', target: record.id, details: { viewId, viewName: view.name, frequency } });
    return { subscription: toDto(record), created };
  }

  async remove(p: Principal, id: string): Promise<void> {
    const sub = await this.store.reportSubscriptions.get(id);
    // Someone else's subscription does not exist for a non-owner (no oracle of who subscribed to what).
    if (!sub || (sub.userId !== p.userId && !p.isOwner)) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No report subscription ${id}.` });
    await this.store.reportSubscriptions.delete(id);
    await this.store.audit.record({ userId: p.userId, action: 'report-subscription.delete', target: id, details: { viewId: sub.viewId, userId: sub.userId, frequency: sub.frequency } });
  }

  private async visibleView(p: Principal, scope: AccessScope, viewId: string) {
    const view = await this.store.savedViews.getVisible(viewId, p.userId, scope);
    if (!view) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No saved view ${viewId}.` });
    return view;
  }
}

function toDto(r: ReportSubscriptionRecord): ReportSubscription {
  return { ...r, frequency: r.frequency as ReportFrequency };
}
