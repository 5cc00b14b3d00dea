import { invoiceListSchema, invoicesQuerySchema, reconciliationSchema } from '@meridian/contracts';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { InvoiceList, InvoicesQuery, Reconciliation } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { RequestScope, RequirePermission } from '../auth/auth.decorators';
import { InvoicesQueryPipe } from './invoices.dto';
import { InvoicesService } from './invoices.service';
import { ApiDoc } from '../openapi/api-doc.decorator';

@Controller()
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @ApiDoc({ tag: 'Invoices', summary: 'Invoices and credit notes with payment status', query: invoicesQuerySchema, response: invoiceListSchema, example: { query: 'status=overdue' } })
  @RequirePermission('invoices:read')
  @Get('invoices')
  list(@RequestScope() scope: AccessScope, @Query(InvoicesQueryPipe) q: InvoicesQuery): Promise<InvoiceList> {
    return this.invoices.list(scope, q);
  }

  @ApiDoc({ tag: 'Invoices', summary: 'Per customer: billing line items against billed usage, differences flagged', response: reconciliationSchema })
  @RequirePermission('invoices:read')
  @Get('accounts/:accountId/invoices/:invoiceId/reconciliation')
  reconciliation(@RequestScope() scope: AccessScope, @Param('accountId') accountId: string, @Param('invoiceId') invoiceId: string): Promise<Reconciliation> {
    return this.invoices.reconciliation(scope, accountId, invoiceId);
  }
}
