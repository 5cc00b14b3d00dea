import { breakdownQuerySchema, costFilterQuerySchema } from './costs';
import { resolveDatePreset } from './dates';

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

describe('drill-down filters and presets', () => {
  it('splits dimension filters into lists', () => {
    const q = costFilterQuerySchema.parse({ from: '2026-10-01', to: '2026-10-31', service: 'Storage, Virtual Machines', region: 'westeurope' });
    expect(q.service).toEqual(['Storage', 'Virtual Machines']);
    expect(q.region).toEqual(['westeurope']);
  });

  it.each([
    { q: { groupBy: 'tag' }, text: /required to group by tag/ },
    { q: { groupBy: 'service', tag: 'prod' }, text: /required to filter by tag/ },
    { q: { groupBy: 'tag', tagKey: 'env; drop table' }, text: /letters, digits/ },
  ])('needs a clean tagKey: $q', ({ q, text }) => {
    const result = breakdownQuerySchema.safeParse({ from: '2026-10-01', to: '2026-10-31', ...q });
    expect(result.success).toBe(false);
    expect(result.error!.issues.find((i) => i.path[0] === 'tagKey')?.message).toMatch(text);
  });

  it.each([
    ['mtd', '2026-11-25', '2026-11-01', '2026-11-25'],
    ['last-month', '2026-11-25', '2026-10-01', '2026-10-31'],
    ['last-3-months', '2026-11-25', '2026-08-01', '2026-10-31'],
    ['last-6-months', '2026-03-01', '2025-09-01', '2026-02-28'],
    ['last-12-months', '2026-01-15', '2025-01-01', '2025-12-31'],
  ] as const)('%s as of %s is %s … %s', (preset, today, from, to) => {
    expect(resolveDatePreset(preset, today)).toEqual({ from, to });
  });
});
