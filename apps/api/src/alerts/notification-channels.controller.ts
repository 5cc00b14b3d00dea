import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { channelInputSchema, channelListSchema, channelSchema, channelTestResultSchema, type NotificationChannelDto } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import { mayUse, scopeFor, type Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import type { ChannelTestResult } from './alert-evaluator.port';
import { ChannelInputPipe, ChannelPatchPipe, channelPatchSchema, type ChannelPatch } from './alerts.dto';
import { NotificationChannelsService } from './notification-channels.service';

const TAG = 'Notification channels';

@Controller('notification-channels')
export class NotificationChannelsController {
  constructor(private readonly channels: NotificationChannelsService) {}

  @ApiDoc({ tag: TAG, summary: 'Email and webhook channels (destinations shown to those who manage alerts on all accounts; never a secret)', response: channelListSchema })
  @RequirePermission('alerts:read')
  @Get()
  list(@CurrentPrincipal() p: Principal): Promise<{ items: NotificationChannelDto[] }> {
    return this.channels.list(mayUse(p, 'alerts:manage') && scopeFor(p, 'alerts:manage').ids() === undefined);
  }

  @ApiDoc({ tag: TAG, summary: 'Add an email (SMTP) or webhook channel; a webhook signing secret is sealed and never returned', body: channelInputSchema, response: channelSchema, status: 201, example: { body: { kind: 'webhook', name: 'Ops Slack', url: 'https://hooks.slack.com/services/…', format: 'slack', secret: 'at least sixteen characters' } } })
  @RequirePermission('alerts:manage')
  @Post()
  create(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Body(ChannelInputPipe) body: ReturnType<typeof channelInputSchema.parse>): Promise<NotificationChannelDto> {
    return this.channels.create(scope, body, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: 'Change a channel (a webhook secret left out is kept)', body: channelPatchSchema, response: channelSchema, example: { body: { name: 'Ops Teams', format: 'teams' } } })
  @RequirePermission('alerts:manage')
  @Patch(':id')
  update(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('id') id: string, @Body(ChannelPatchPipe) body: ChannelPatch): Promise<NotificationChannelDto> {
    return this.channels.update(scope, id, body, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: 'Delete a channel no rule uses (409 naming the rules that do)', status: 204 })
  @RequirePermission('alerts:manage')
  @Delete(':id')
  @HttpCode(204)
  remove(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    return this.channels.remove(scope, id, { userId: p.userId });
  }

  @ApiDoc({ tag: TAG, summary: 'Send a test notification through the channel; answers with every delivery attempt', response: channelTestResultSchema, status: 200 })
  @RequirePermission('alerts:manage')
  @Post(':id/test')
  @HttpCode(200)
  test(@RequestScope() scope: AccessScope, @CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ChannelTestResult> {
    return this.channels.test(scope, id, { userId: p.userId });
  }
}
