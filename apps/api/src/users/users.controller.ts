import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { createUserRequestSchema, replaceGrantsRequestSchema, type AuditEvent, type GrantInput, type User } from '@meridian/contracts';
import { z } from 'zod';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ZodBodyPipe, ZodQueryPipe } from '../common/zod-query.pipe';
import { UsersService } from './users.service';

const auditQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @RequirePermission('users:manage')
  @Get('users')
  list(): Promise<{ items: User[] }> {
    return this.users.list();
  }

  @RequirePermission('users:manage')
  @Post('users')
  create(@CurrentPrincipal() p: Principal, @Body(ZodBodyPipe(createUserRequestSchema)) body: z.output<typeof createUserRequestSchema>): Promise<User> {
    return this.users.create(p.userId, body);
  }

  @RequirePermission('users:manage')
  @Put('users/:id/grants')
  grants(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body(ZodBodyPipe(replaceGrantsRequestSchema)) body: { grants: GrantInput[] }): Promise<User> {
    return this.users.replaceGrants(p.userId, id, body.grants);
  }

  @RequirePermission('audit:read')
  @Get('audit')
  audit(@Query(ZodQueryPipe(auditQuerySchema, ['limit'])) q: { limit: number }): Promise<{ items: AuditEvent[] }> {
    return this.users.audit(q.limit);
  }
}
