import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { ReportDeliveryEntity, ReportSubscriptionEntity } from '../entities/report-subscription.entity';
import { SavedViewEntity } from '../entities/saved-view.entity';
import { UserEntity } from '../entities/user.entity';

export interface ReportSubscriptionRecord {
  id: string;
  viewId: string;
  viewName: string;
  viewPath: string;
  userId: string;
  userName: string;
  frequency: string;
  lastPeriod: string | null;
  lastSentAt: string | null;
  createdAt: string;
}

/** What the report sender needs of a subscription: the view as saved and the subscriber. */
export interface ReportSubscriptionTarget {
  id: string;
  frequency: string;
  view: { id: string; name: string; path: string; query: string; shared: boolean; ownerId: string; accountIds: string[] | null };
  user: { id: string; email: string; displayName: string; isOwner: boolean; disabled: boolean };
}

/**
 * Report subscriptions and their deliveries. A delivery row per (subscription, period), UNIQUE, is
 * the claim to send it: `claim` is true for exactly one caller however many workers try at once.
 */
export class ReportSubscriptionRepository {
  private readonly subscriptions: Repository<ReportSubscriptionEntity>;
  private readonly deliveries: Repository<ReportDeliveryEntity>;

  constructor(private readonly ds: DataSource) {
    this.subscriptions = ds.getRepository(ReportSubscriptionEntity);
    this.deliveries = ds.getRepository(ReportDeliveryEntity);
  }

  /** Subscribes a user to a view, or changes the frequency of their subscription to it. */
  async upsert(userId: string, viewId: string, frequency: string): Promise<{ record: ReportSubscriptionRecord; created: boolean }> {
    const now = new Date().toISOString();
    const existing = await this.subscriptions.findOneBy({ userId, viewId });
    if (existing) {
      await this.subscriptions.update({ id: existing.id }, { frequency, updatedAt: now });
      return { record: (await this.get(existing.id))!, created: false };
    }
    const id = randomUUID();
    try {
      await this.subscriptions.insert({ id, userId, viewId, frequency, createdAt: now, updatedAt: now });
    } catch (err) {
      // Two requests subscribing at once: the other one inserted; this one changes its frequency.
      if (!isUniqueViolation(err)) throw err;
      return this.upsert(userId, viewId, frequency);
    }
    return { record: (await this.get(id))!, created: true };
  }

  async get(id: string): Promise<ReportSubscriptionRecord | undefined> {
    return (await this.records(await this.subscriptions.findBy({ id })))[0];
  }

  /** One user's subscriptions (or, without a user, everyone's), optionally to one view; newest first. */
  async list(filter: { userId?: string; viewId?: string } = {}): Promise<ReportSubscriptionRecord[]> {
    const rows = await this.subscriptions.find({
      where: { ...(filter.userId ? { userId: filter.userId } : {}), ...(filter.viewId ? { viewId: filter.viewId } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    return this.records(rows);
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.subscriptions.delete({ id })).affected ?? 0) > 0;
  }

  /** Every subscription with its view and subscriber, for the sender to judge at send time. */
  async targets(): Promise<ReportSubscriptionTarget[]> {
    const rows = await this.subscriptions.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    if (rows.length === 0) return [];
    const views = new Map((await this.ds.getRepository(SavedViewEntity).findBy({ id: In([...new Set(rows.map((r) => r.viewId))]) })).map((v) => [v.id, v]));
    const users = new Map((await this.ds.getRepository(UserEntity).findBy({ id: In([...new Set(rows.map((r) => r.userId))]) })).map((u) => [u.id, u]));
    return rows.flatMap((r) => {
      const v = views.get(r.viewId);
      const u = users.get(r.userId);
      if (!v || !u) return [];
      return [
        {
          id: r.id,
          frequency: r.frequency,
          view: { id: v.id, name: v.name, path: v.path, query: v.query, shared: v.shared, ownerId: v.ownerId, accountIds: v.accountIds === null ? null : (JSON.parse(v.accountIds) as string[]) },
          user: { id: u.id, email: u.email, displayName: u.displayName, isOwner: u.isOwner, disabled: u.disabled },
        },
      ];
    });
  }

  /** Was this period already delivered, or is it being sent (by this or another worker)? */
  async delivery(subscriptionId: string, period: string): Promise<ReportDeliveryEntity | null> {
    return this.deliveries.findOneBy({ subscriptionId, period });
  }

  /**
   * Claims (subscription, period) for sending: inserts the delivery row, or takes over a failed one.
   * Returns the delivery id for the one caller that may send, null for everyone else.
   */
  async claim(subscriptionId: string, period: string, at: Date): Promise<string | null> {
    const id = randomUUID();
    try {
      await this.deliveries.insert({ id, subscriptionId, period, status: 'sending', attempts: 1, rows: null, error: null, claimedAt: at.toISOString(), sentAt: null });
      return id;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const existing = await this.deliveries.findOneBy({ subscriptionId, period });
    if (!existing || existing.status !== 'failed') return null;
    // Only a failed delivery is tried again, and the status condition lets one retrier win.
    const taken = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ status: 'sending', attempts: () => 'attempts + 1', claimedAt: at.toISOString(), error: null })
      .where('id = :id AND status = :failed', { id: existing.id, failed: 'failed' })
      .execute();
    return (taken.affected ?? 0) > 0 ? existing.id : null;
  }

  async markSent(deliveryId: string, at: Date, rows: number): Promise<void> {
    await this.deliveries.update({ id: deliveryId }, { status: 'sent', sentAt: at.toISOString(), rows, error: null });
  }

  async markFailed(deliveryId: string, error: string): Promise<void> {
    await this.deliveries.update({ id: deliveryId }, { status: 'failed', error: error.slice(0, 2000) });
  }

  /** Deliveries of a subscription, newest period first (tests, diagnostics). */
  deliveriesOf(subscriptionId: string): Promise<ReportDeliveryEntity[]> {
    return this.deliveries.find({ where: { subscriptionId }, order: { claimedAt: 'DESC' } });
  }

  private async records(rows: ReportSubscriptionEntity[]): Promise<ReportSubscriptionRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const views = new Map((await this.ds.getRepository(SavedViewEntity).findBy({ id: In([...new Set(rows.map((r) => r.viewId))]) })).map((v) => [v.id, v]));
    const users = new Map((await this.ds.getRepository(UserEntity).findBy({ id: In([...new Set(rows.map((r) => r.userId))]) })).map((u) => [u.id, u]));
    const sent = await this.deliveries.find({ where: { subscriptionId: In(ids), status: 'sent' } });
    const last = new Map<string, ReportDeliveryEntity>();
    for (const d of sent) {
      const prev = last.get(d.subscriptionId);
      if (!prev || (d.sentAt ?? '') > (prev.sentAt ?? '')) last.set(d.subscriptionId, d);
    }
    return rows.map((r) => ({
      id: r.id,
      viewId: r.viewId,
      viewName: views.get(r.viewId)?.name ?? r.viewId,
      viewPath: views.get(r.viewId)?.path ?? '',
      userId: r.userId,
      userName: users.get(r.userId)?.displayName ?? r.userId,
      frequency: r.frequency,
      lastPeriod: last.get(r.id)?.period ?? null,
      lastSentAt: last.get(r.id)?.sentAt ?? null,
      createdAt: r.createdAt,
    }));
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e.driverError?.code ?? e.code;
  return code === '23505' || (code ?? '').startsWith('SQLITE_CONSTRAINT') || /UNIQUE constraint failed/.test(e.message ?? '');
}
