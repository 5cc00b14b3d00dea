import { Controller, Get, Param, Query } from '@nestjs/common';
import type { CustomerList, CustomersQuery, SubscriptionList } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { CustomersQueryPipe, MonthQueryPipe } from './customers.dto';
import { CustomersService } from './customers.service';

@Controller()
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @RequirePermission('costs:read')
  @Get('customers')
  list(@RequestScope() scope: AccessScope, @Query(CustomersQueryPipe) q: CustomersQuery): Promise<CustomerList> {
    return this.customers.list(scope, q);
  }

  @RequirePermission('costs:read')
  @Get('accounts/:accountId/customers/:customerId/subscriptions')
  subscriptions(
    @RequestScope() scope: AccessScope,
    @Param('accountId') accountId: string,
    @Param('customerId') customerId: string,
    @Query(MonthQueryPipe) q: { month?: string },
  ): Promise<SubscriptionList> {
    return this.customers.subscriptions(scope, accountId, customerId, q.month);
  }
}
