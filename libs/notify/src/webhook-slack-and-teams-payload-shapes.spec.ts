import { message } from './testing/fixtures';
import { webhookPayload } from './webhook';

const BASE = 'https://meridian.test/';

describe('webhook: Slack and Teams payload shapes', () => {
  it('slack: {text, blocks} with header, fields, a link button', () => {
    const p = webhookPayload('slack', message(), BASE) as { text: string; blocks: { type: string; [k: string]: unknown }[] };
    expect(Object.keys(p).sort()).toEqual(['blocks', 'text']);
    expect(p.text).toBe(
      'EU production budget: Forecast reached 80 % of the budget — EUR 2,420.50 (account Contoso EU (acc-eu) › customer Fabrikam (cust-7) › service Virtual Machines) <https://meridian.test/alerts/42|Open in Meridian>',
    );
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions', 'context']);
    expect(p.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'EU production budget: Forecast reached 80 % of the budget' },
    });
    expect(p.blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Amount*\nEUR 2,420.50' },
        { type: 'mrkdwn', text: '*Threshold*\nEUR 2,400.00' },
        { type: 'mrkdwn', text: '*Where*\naccount Contoso EU (acc-eu) › customer Fabrikam (cust-7) › service Virtual Machines' },
        { type: 'mrkdwn', text: '*Period*\n2024-03' },
      ],
    });
    expect(p.blocks[2]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Meridian' }, url: 'https://meridian.test/alerts/42' }],
    });
  });

  it('teams: a message with one Adaptive Card attachment', () => {
    const p = webhookPayload('teams', message(), BASE) as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
    };
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    const [a] = p.attachments;
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: 'EU production budget: Forecast reached 80 % of the budget', color: 'Attention' },
        {
          type: 'FactSet',
          facts: [
            { title: 'Amount', value: 'EUR 2,420.50' },
            { title: 'Threshold', value: 'EUR 2,400.00' },
            { title: 'Where', value: 'account Contoso EU (acc-eu) › customer Fabrikam (cust-7) › service Virtual Machines' },
            { title: 'Period', value: '2024-03' },
          ],
        },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Open in Meridian', url: 'https://meridian.test/alerts/42' }],
    });
  });

  it.each([
    { format: 'meridian', headline: (p: unknown) => (p as { event: string }).event, expected: 'alert.resolved' },
    {
      format: 'slack',
      headline: (p: unknown) => (p as { blocks: { text: { text: string } }[] }).blocks[0].text.text,
      expected: 'Resolved — EU production budget: Forecast reached 80 % of the budget',
    },
    {
      format: 'teams',
      headline: (p: unknown) => (p as { attachments: { content: { body: { color: string }[] } }[] }).attachments[0].content.body[0].color,
      expected: 'Good',
    },
  ] as const)('$format marks a resolve notice', ({ format, headline, expected }) => {
    const resolved = message('k/resolve', { ...message().notice, kind: 'resolve' });
    expect(headline(webhookPayload(format, resolved, BASE))).toBe(expected);
  });
});
