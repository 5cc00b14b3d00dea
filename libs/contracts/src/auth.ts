import { z } from 'zod';

/** Roles mirror Partner Center's split: an admin permission and agent-style data permissions. */
export const ROLES = ['admin', 'finance', 'ops', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const loginRequestSchema = z.strictObject({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  password: z.string().min(1, 'is required').max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const grantSchema = z.object({
  id: z.string(),
  /** null = every account, present and future. */
  accountId: z.string().nullable(),
  role: z.enum(ROLES),
  /** Set: the grant covers only this customer of the account. */
  customerId: z.string().nullable(),
});
export type Grant = z.infer<typeof grantSchema>;

export const grantInputSchema = z.strictObject({
  accountId: z.string().min(1).nullable(),
  role: z.enum(ROLES, { message: `must be one of: ${ROLES.join(', ')}` }),
  customerId: z.string().min(1).nullable().optional(),
});
export type GrantInput = z.infer<typeof grantInputSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  isOwner: z.boolean(),
  disabled: z.boolean(),
  signIn: z.enum(['password', 'oidc', 'both']),
  grants: z.array(grantSchema),
});
export type User = z.infer<typeof userSchema>;

export const meResponseSchema = z.object({ user: userSchema, csrfToken: z.string().nullable() });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const createUserRequestSchema = z.strictObject({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  displayName: z.string().trim().min(1, 'is required').max(200),
  /** Optional: users who sign in only through OpenID Connect have none. */
  password: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  grants: z.array(grantInputSchema).max(200).default([]),
});
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;

export const replaceGrantsRequestSchema = z.strictObject({ grants: z.array(grantInputSchema).max(200) });

export const createTokenRequestSchema = z.strictObject({ name: z.string().trim().min(1, 'is required').max(200) });

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** The only time a token's value is ever returned. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

export const auditEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
