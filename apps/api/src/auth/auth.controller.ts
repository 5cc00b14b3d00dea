import { meResponseSchema } from '@meridian/contracts';
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { loginRequestSchema, type LoginRequest, type MeResponse } from '@meridian/contracts';
import type { Response } from 'express';
import { Store } from '@meridian/store';
import { Inject } from '@nestjs/common';
import { ZodBodyPipe } from '../common/zod-query.pipe';
import { CurrentPrincipal, Public, RequirePermission } from './auth.decorators';
import { AuthenticatedRequest, cookie } from './auth.guard';
import { AuthenticatedPrincipal, AuthService, SESSION_COOKIE, SESSION_TTL_MS } from './auth.service';
import { ApiDoc } from '../openapi/api-doc.decorator';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(Store) private readonly store: Store,
  ) {}

  @ApiDoc({ tag: 'Sign-in', summary: 'Sign in with email and password: session cookie + CSRF token', body: loginRequestSchema, response: meResponseSchema, status: 200 })
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body(ZodBodyPipe(loginRequestSchema)) body: LoginRequest, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<MeResponse> {
    const { user, sessionId, csrfToken } = await this.auth.login(body.email, body.password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', secure: req.secure, maxAge: SESSION_TTL_MS, path: '/' });
    return { user: await this.auth.toUser(user), csrfToken };
  }

  @ApiDoc({ tag: 'Sign-in', summary: 'Sign out', status: 204 })
  @RequirePermission('self')
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(cookie(req, SESSION_COOKIE), principal.userId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @ApiDoc({ tag: 'Sign-in', summary: 'The signed-in user, grants and CSRF token', response: meResponseSchema })
  @RequirePermission('self')
  @Get('me')
  async me(@CurrentPrincipal() principal: AuthenticatedPrincipal): Promise<MeResponse> {
    const user = await this.store.users.byId(principal.userId);
    return { user: await this.auth.toUser(user!), csrfToken: principal.csrfToken };
  }
}
