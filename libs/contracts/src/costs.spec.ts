import { breakdownQuerySchema, costFilterQuerySchema } from './costs';

describe('cost query schemas', () => {
  const ok = { from: '2026-10-01', to: '2026-10-31' };

  it.each([
    { name: 'two dimensions', q: { ...ok, groupBy: 'service,region' }, groupBy: ['service', 'region'] },
    { name: 'spaces around commas', q: { ...ok, groupBy: ' service , region ' }, groupBy: ['service', 'region'] },
    { name: 'one dimension', q: { ...ok, groupBy: 'cloud' }, groupBy: ['cloud'] },
  ])('accepts $name', ({ q, groupBy }) => {
    const parsed = breakdownQuerySchema.parse(q);
    expect(parsed.groupBy).toEqual(groupBy);
    expect(parsed.includeSandbox).toBe(false);
  });

  it.each([
    { name: 'unknown dimension', q: { ...ok, groupBy: 'service,planet' }, field: 'groupBy', text: /service, region/ },
    { name: 'three dimensions', q: { ...ok, groupBy: 'service,region,cloud' }, field: 'groupBy', text: /at most two/ },
    { name: 'repeated dimension', q: { ...ok, groupBy: 'service,service' }, field: 'groupBy', text: /repeat/ },
    { name: 'missing groupBy', q: { ...ok }, field: 'groupBy', text: /required/ },
    { name: 'bad date', q: { ...ok, from: '2026-13-01', groupBy: 'service' }, field: 'from', text: /calendar date/ },
    { name: 'not a date', q: { ...ok, to: 'yesterday', groupBy: 'service' }, field: 'to', text: /YYYY-MM-DD/ },
    { name: 'reversed range', q: { from: '2026-10-31', to: '2026-10-01', groupBy: 'service' }, field: 'to', text: /before from/ },
    { name: 'bad boolean', q: { ...ok, groupBy: 'service', includeSandbox: 'yes' }, field: 'includeSandbox', text: /true or false/ },
  ])('rejects $name naming $field', ({ q, field, text }) => {
    const result = breakdownQuerySchema.safeParse(q);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(text);
  });

  it('refuses unknown parameters', () => {
    const result = costFilterQuerySchema.safeParse({ ...ok, acountIds: 'a' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['acountIds'] });
  });
});
