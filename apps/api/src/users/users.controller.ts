import { auditEventSchema, userSchema } from '@meridian/contracts';
import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { createUserRequestSchema, replaceGrantsRequestSchema, type AuditEvent, type GrantInput, type User } from '@meridian/contracts';
import { z } from 'zod';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/permissions';
import { ZodBodyPipe, ZodQueryPipe } from '../common/zod-query.pipe';
import { UsersService } from './users.service';
import { ApiDoc } from '../openapi/api-doc.decorator';

const auditQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiDoc({ tag: 'Users', summary: 'Users and their grants (owner)', response: z.object({ items: z.array(userSchema) }) })
  @RequirePermission('users:manage')
  @Get('users')
  list(): Promise<{ items: User[] }> {
    return this.users.list();
  }

  @ApiDoc({ tag: 'Users', summary: 'Add a user with grants (owner)', body: createUserRequestSchema, response: userSchema })
  @RequirePermission('users:manage')
  @Post('users')
  create(@CurrentPrincipal() p: Principal, @Body(ZodBodyPipe(createUserRequestSchema)) body: z.output<typeof createUserRequestSchema>): Promise<User> {
    return this.users.create(p.userId, body);
  }

  @ApiDoc({ tag: 'Users', summary: 'Replace a user\'s grants (owner)', body: replaceGrantsRequestSchema, response: userSchema })
  @RequirePermission('users:manage')
  @Put('users/:id/grants')
  grants(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body(ZodBodyPipe(replaceGrantsRequestSchema)) body: { grants: GrantInput[] }): Promise<User> {
    return this.users.replaceGrants(p.userId, id, body.grants);
  }

  @ApiDoc({ tag: 'Users', summary: 'Audit log: sign-ins, grants, tokens, connections, exports (owner)', query: auditQuerySchema, response: z.object({ items: z.array(auditEventSchema) }) })
  @RequirePermission('audit:read')
  @Get('audit')
  audit(@Query(ZodQueryPipe(auditQuerySchema, ['limit'])) q: { limit: number }): Promise<{ items: AuditEvent[] }> {
    return this.users.audit(q.limit);
  }
}
