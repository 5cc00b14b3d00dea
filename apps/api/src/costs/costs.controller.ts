import { Controller, Get, Query } from '@nestjs/common';
import type { BreakdownQuery, BreakdownResponse, CostFilterQuery, CostSummaryResponse } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { BreakdownQueryPipe, SummaryQueryPipe } from './costs.dto';
import { CostsService } from './costs.service';

@Controller('costs')
export class CostsController {
  constructor(private readonly costs: CostsService) {}

  @RequirePermission('costs:read')
  @Get('breakdown')
  breakdown(@RequestScope() scope: AccessScope, @Query(BreakdownQueryPipe) q: BreakdownQuery): Promise<BreakdownResponse> {
    return this.costs.breakdown(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('summary')
  summary(@RequestScope() scope: AccessScope, @Query(SummaryQueryPipe) q: CostFilterQuery): Promise<CostSummaryResponse> {
    return this.costs.summary(scope, q);
  }
}
