import { Body, Controller, Get, Put } from '@nestjs/common';
import { orgSettingsSchema, orgSettingsWriteSchema, type OrgSettings, type OrgSettingsWrite } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { OrgSettingsWritePipe } from './settings.dto';
import { SettingsService } from './settings.service';

@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @ApiDoc({ tag: 'Settings', summary: 'Organisation settings: reporting currency and rate-source precedence', response: orgSettingsSchema })
  @RequirePermission('costs:read')
  @Get()
  get(): Promise<OrgSettings> {
    return this.settings.get();
  }

  @ApiDoc({
    tag: 'Settings',
    summary: 'Change organisation settings (admin of all accounts; audited)',
    body: orgSettingsWriteSchema,
    response: orgSettingsSchema,
    status: 200,
    example: { body: { reportingCurrency: 'EUR', rateSources: ['manual', 'microsoft', 'ecb-csv'] } },
  })
  @RequirePermission('settings:manage')
  @Put()
  update(
    @RequestScope() scope: AccessScope,
    @CurrentPrincipal() p: Principal,
    @Body(OrgSettingsWritePipe) body: OrgSettingsWrite,
  ): Promise<OrgSettings> {
    return this.settings.update(scope, body, { userId: p.userId });
  }
}
