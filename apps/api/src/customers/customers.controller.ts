import { customerListSchema, customersQuerySchema, subscriptionListSchema } from '@meridian/contracts';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { CustomerList, CustomersQuery, SubscriptionList } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { CustomersQueryPipe, MonthQueryPipe } from './customers.dto';
import { CustomersService } from './customers.service';
import { ApiDoc } from '../openapi/api-doc.decorator';

@Controller()
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @ApiDoc({ tag: 'Customers', summary: 'Customers of the granted accounts with the cost of a month', query: customersQuerySchema, response: customerListSchema, example: { query: 'month=2026-10&search=contoso' } })
  @RequirePermission('costs:read')
  @Get('customers')
  list(@RequestScope() scope: AccessScope, @Query(CustomersQueryPipe) q: CustomersQuery): Promise<CustomerList> {
    return this.customers.list(scope, q);
  }

  @ApiDoc({ tag: 'Customers', summary: 'A customer\'s subscriptions (plans and Azure subscriptions) with the cost of a month', response: subscriptionListSchema })
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
