import { describe, expect, it } from 'vitest';
import { testPayload, type NotificationPayload } from '../payload.js';
import { escapeMrkdwn, slackMessage } from './slack.js';

/** A payload whose every user-chosen name tries to open a mention or a link of its own. */
function hostilePayload(): NotificationPayload {
  const p = testPayload({ workspace: { id: 'w', name: 'Acme <!channel> & co', slug: 'acme' }, team: { id: 't', name: '<@U0123> risk' }, webUrl: 'https://vigil.example.test' });
  const alert = p.alerts[0]!;
  return {
    ...p,
    kind: 'firing',
    alerts: [
      {
        ...alert,
        rule: { id: 'r', name: 'Drift <https://evil.example/login|click here>' },
        model: { id: 'm', slug: 'fraud', name: 'Fraud' },
        column: 'amount<!here>',
        segment: 'country=<!everyone>',
        url: 'https://vigil.example.test/alerts?fingerprint=abc',
      },
    ],
  };
}

type Blocks = [unknown, { text: { text: string } }, { elements: [{ text: string }] }];

describe('Slack messages', () => {
  it('escapes & < > in rule, column, segment, workspace and team names, in the text and every mrkdwn block', () => {
    const msg = slackMessage(hostilePayload());
    const [, section, context] = msg.blocks as Blocks;
    for (const mrkdwn of [msg.text, section.text.text, context.elements[0].text]) {
      expect(mrkdwn).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U0123>|<https:\/\/evil/);
    }
    expect(section.text.text).toContain('Drift &lt;https://evil.example/login|click here&gt;');
    expect(section.text.text).toContain('amount&lt;!here&gt;');
    expect(section.text.text).toContain('country=&lt;!everyone&gt;');
    expect(context.elements[0].text).toBe('Acme &lt;!channel&gt; &amp; co · team &lt;@U0123&gt; risk');
    expect(msg.text).toContain('Drift &lt;https://evil.example/login|click here&gt;');
  });

  it('keeps its own link to the alert as a link', () => {
    const [, section] = slackMessage(hostilePayload()).blocks as Blocks;
    expect(section.text.text).toMatch(/ <https:\/\/vigil\.example\.test\/alerts\?fingerprint=abc\|open>$/);
  });

  it('escapes the ampersand first, so an entity typed by a user stays as typed', () => {
    expect(escapeMrkdwn('a &lt; b > c & d')).toBe('a &amp;lt; b &gt; c &amp; d');
  });
});
