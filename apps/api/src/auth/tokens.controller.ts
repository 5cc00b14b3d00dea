import { z } from 'zod';
import { apiTokenSchema, createdApiTokenSchema } from '@meridian/contracts';
import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { createTokenRequestSchema, type ApiToken, type CreatedApiToken } from '@meridian/contracts';
import { ApiTokenEntity, Store } from '@meridian/store';
import { ZodBodyPipe } from '../common/zod-query.pipe';
import { CurrentPrincipal, RequirePermission } from './auth.decorators';
import { AuthService, type AuthenticatedPrincipal } from './auth.service';
import { ApiDoc } from '../openapi/api-doc.decorator';

const toApiToken = (t: ApiTokenEntity): ApiToken => ({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt });

/** Bearer tokens for automation: a user's own; the value is returned once, at creation. */
@Controller('tokens')
export class TokensController {
  constructor(
    private readonly auth: AuthService,
    @Inject(Store) private readonly store: Store,
  ) {}

  @ApiDoc({ tag: 'Sign-in', summary: 'Create an API token (its value is shown once)', body: createTokenRequestSchema, response: createdApiTokenSchema })
  @RequirePermission('self')
  @Post()
  async create(@CurrentPrincipal() p: AuthenticatedPrincipal, @Body(ZodBodyPipe(createTokenRequestSchema)) body: { name: string }): Promise<CreatedApiToken> {
    const token = this.auth.newTokenValue();
    const row = await this.store.users.createToken(p.userId, body.name, token);
    await this.store.audit.record({ userId: p.userId, action: 'token.create', target: row.id, details: { name: body.name } });
    return { ...toApiToken(row), token };
  }

  @ApiDoc({ tag: 'Sign-in', summary: 'Your API tokens (never their values)', response: z.object({ items: z.array(apiTokenSchema) }) })
  @RequirePermission('self')
  @Get()
  async list(@CurrentPrincipal() p: AuthenticatedPrincipal): Promise<{ items: ApiToken[] }> {
    return { items: (await this.store.users.tokensOf(p.userId)).map(toApiToken) };
  }

  @ApiDoc({ tag: 'Sign-in', summary: 'Revoke an API token', status: 204 })
  @RequirePermission('self')
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() p: AuthenticatedPrincipal, @Param('id') id: string): Promise<void> {
    if (!(await this.store.users.revokeToken(p.userId, id))) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `token ${id} not found` });
    }
    await this.store.audit.record({ userId: p.userId, action: 'token.revoke', target: id });
  }
}
