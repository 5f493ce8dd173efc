import type { ReactNode } from 'react';
import { Badge, Card, EmptyState } from '~/components/ui';
import type { AlertingTeam } from './use-alerting-teams';

interface TeamCardProps {
  team: AlertingTeam;
  /** Anchor of the card (`rules-<team id>`). */
  id: string;
  count: number;
  /** Singular and plural of what is counted: `['rule', 'rules']`. */
  noun: readonly [string, string];
  /** Shown when the team has none: a title, and what to do for those who may change it and for the others. */
  empty: { title: string; canChange: string; readOnly: string };
  /** The table, shown when the team has some. */
  children: ReactNode;
  /** Below the table or the empty state. */
  footer?: ReactNode;
}

/** One team's section of an alerting page (rules, channels): its name, a count, a table or what to do. */
export function TeamCard({ team, id, count, noun, empty, children, footer }: TeamCardProps) {
  return (
    <Card
      title={team.name}
      id={id}
      actions={<Badge>{`${count} ${count === 1 ? noun[0] : noun[1]}`}</Badge>}
    >
      {count === 0 ? (
        <EmptyState title={empty.title}>
          {team.canChange ? empty.canChange : empty.readOnly}
        </EmptyState>
      ) : (
        children
      )}
      {footer}
    </Card>
  );
}
