import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { channelInputSchema, type NotificationChannelDto } from '@meridian/contracts';
import { AccessScope, Store } from '@meridian/store';
import { ALERT_EVALUATOR, type AlertEvaluatorPort, type ChannelTestResult } from './alert-evaluator.port';
import { parseBody, type ChannelPatch } from './alerts.dto';

type Actor = { userId: string };
type ParsedChannel = ReturnType<typeof channelInputSchema.parse>;

const notFound = (id: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message: `notification channel ${id} not found` });

/**
 * Notification channels belong to the whole organisation (any rule may use them), so changing them
 * needs alerts:manage on every account. The webhook secret is write-only: no answer contains it.
 */
@Injectable()
export class NotificationChannelsService {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(ALERT_EVALUATOR) private readonly evaluator: AlertEvaluatorPort,
  ) {}

  /**
   * Everyone who reads alerts sees the channels' names (rules name them); the destinations (email
   * addresses, webhook URLs, which often carry a token) only those who manage channels.
   */
  async list(mayManage: boolean): Promise<{ items: NotificationChannelDto[] }> {
    const items = await this.store.channels.list();
    return { items: mayManage ? items : items.map(({ to: _to, url: _url, ...rest }) => rest) };
  }

  async create(scope: AccessScope, input: ParsedChannel, actor: Actor): Promise<NotificationChannelDto> {
    this.requireOrganisationWide(scope);
    const channel = await this.store.channels.create(input, actor);
    await this.store.audit.record({ userId: actor.userId, action: 'channel.create', target: channel.id, details: { name: channel.name, kind: channel.kind, hasSecret: channel.hasSecret } });
    return channel;
  }

  /** A patch replaces what it names; a webhook secret left out is kept (it is write-only). */
  async update(scope: AccessScope, id: string, patch: ChannelPatch, actor: Actor): Promise<NotificationChannelDto> {
    this.requireOrganisationWide(scope);
    const current = await this.store.channels.get(id);
    if (!current) throw notFound(id);
    // The kind stays; fields of the other kind are passed on so the schema names them.
    const { name, to, url, format, secret, weeklyDigest } = patch;
    const digest = weeklyDigest ?? current.weeklyDigest;
    const merged =
      current.kind === 'email'
        ? { kind: 'email', name: name ?? current.name, to: to ?? current.to, weeklyDigest: digest, ...defined({ url, format, secret }) }
        : { kind: 'webhook', name: name ?? current.name, url: url ?? current.url, format: format ?? current.format, weeklyDigest: digest, ...defined({ to, secret }) };
    const channel = await this.store.channels.update(id, parseBody(channelInputSchema, merged));
    if (!channel) throw notFound(id);
    await this.store.audit.record({ userId: actor.userId, action: 'channel.update', target: id, details: { name: channel.name, fields: Object.keys(patch) } });
    return channel;
  }

  async remove(scope: AccessScope, id: string, actor: Actor): Promise<void> {
    this.requireOrganisationWide(scope);
    const channel = await this.store.channels.get(id);
    if (!channel) throw notFound(id);
    const users = (await this.store.alertRules.list(AccessScope.all())).filter((r) => r.channelIds.includes(id));
    if (users.length) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `channel ${channel.name} is used by ${users.map((r) => r.name).join(', ')}: take it off those rules first`,
        rules: users.map((r) => ({ id: r.id, name: r.name })),
      });
    }
    await this.store.channels.remove(id);
    await this.store.audit.record({ userId: actor.userId, action: 'channel.delete', target: id, details: { name: channel.name } });
  }

  /** Sends a clearly labelled test through the real channel and answers with every attempt. */
  async test(scope: AccessScope, id: string, actor: Actor): Promise<ChannelTestResult> {
    this.requireOrganisationWide(scope);
    const result = await this.evaluator.sendChannelTest(id);
    if (!result) throw notFound(id);
    await this.store.audit.record({ userId: actor.userId, action: 'channel.test', target: id, details: { delivered: result.delivered, attempts: result.attempts.length } });
    return result;
  }

  private requireOrganisationWide(scope: AccessScope): void {
    if (scope.ids() !== undefined) throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'notification channels serve every account: managing them needs ops or admin on all accounts' });
  }
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
