import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { savedViewInputSchema, savedViewListSchema, savedViewSchema, savedViewsQuerySchema, savedViewUpdateSchema, type SavedView, type SavedViewInput } from '@meridian/contracts';
import { AccessScope } from '@meridian/store';
import { CurrentPrincipal, RequestScope, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { SavedViewInputPipe, SavedViewsQueryPipe, SavedViewUpdatePipe } from './views.dto';
import { ViewsService } from './views.service';

@Controller('saved-views')
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @ApiDoc({ tag: 'Saved views', summary: 'Your views and the shared views of accounts you see', query: savedViewsQuerySchema, response: savedViewListSchema, example: { query: 'path=/explorer' } })
  @RequirePermission('costs:read')
  @Get()
  list(@CurrentPrincipal() p: Principal, @RequestScope() scope: AccessScope, @Query(SavedViewsQueryPipe) q: { path?: string }): Promise<{ items: SavedView[] }> {
    return this.views.list(p, scope, q.path);
  }

  @ApiDoc({
    tag: 'Saved views',
    summary: 'Save a view (page + URL query), private or shared with the users of the same accounts',
    body: savedViewInputSchema,
    response: savedViewSchema,
    status: 201,
    example: { body: { name: 'EU by service and region', path: '/explorer', query: 'group=service,region&accounts=eu&preset=last-month', shared: true } },
  })
  @RequirePermission('costs:read')
  @Post()
  create(@CurrentPrincipal() p: Principal, @RequestScope() scope: AccessScope, @Body(SavedViewInputPipe) body: Required<SavedViewInput>): Promise<SavedView> {
    return this.views.create(p, scope, body);
  }

  @ApiDoc({ tag: 'Saved views', summary: 'One saved view', response: savedViewSchema })
  @RequirePermission('costs:read')
  @Get(':id')
  get(@CurrentPrincipal() p: Principal, @RequestScope() scope: AccessScope, @Param('id') id: string): Promise<SavedView> {
    return this.views.get(p, scope, id);
  }

  @ApiDoc({ tag: 'Saved views', summary: 'Rename, change the query, share or unshare (author only)', body: savedViewUpdateSchema, response: savedViewSchema, example: { body: { shared: false } } })
  @RequirePermission('costs:read')
  @Patch(':id')
  update(@CurrentPrincipal() p: Principal, @RequestScope() scope: AccessScope, @Param('id') id: string, @Body(SavedViewUpdatePipe) body: { name?: string; query?: string; shared?: boolean }): Promise<SavedView> {
    return this.views.update(p, scope, id, body);
  }

  @ApiDoc({ tag: 'Saved views', summary: 'Delete a view (author only)', status: 204 })
  @RequirePermission('costs:read')
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentPrincipal() p: Principal, @RequestScope() scope: AccessScope, @Param('id') id: string): Promise<void> {
    return this.views.remove(p, scope, id);
  }
}
