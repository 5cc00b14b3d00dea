import { Controller, Get, Param, Query } from '@nestjs/common';
import type { InvoiceList, InvoicesQuery, Reconciliation } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { InvoicesQueryPipe } from './invoices.dto';
import { InvoicesService } from './invoices.service';

@Controller()
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @RequirePermission('invoices:read')
  @Get('invoices')
  list(@RequestScope() scope: AccessScope, @Query(InvoicesQueryPipe) q: InvoicesQuery): Promise<InvoiceList> {
    return this.invoices.list(scope, q);
  }

  @RequirePermission('invoices:read')
  @Get('accounts/:accountId/invoices/:invoiceId/reconciliation')
  reconciliation(@RequestScope() scope: AccessScope, @Param('accountId') accountId: string, @Param('invoiceId') invoiceId: string): Promise<Reconciliation> {
    return this.invoices.reconciliation(scope, accountId, invoiceId);
  }
}
