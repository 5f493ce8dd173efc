import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

/** A data table with a caption for screen readers; scrolls sideways on narrow screens. */
export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="ui-table-wrap">
      <table className="ui-table">
        <caption className="ui-visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export const Th = (props: ThHTMLAttributes<HTMLTableCellElement>) => <th scope="col" {...props} />;
export const Td = (props: TdHTMLAttributes<HTMLTableCellElement>) => <td {...props} />;
export const Tr = (props: HTMLAttributes<HTMLTableRowElement>) => <tr {...props} />;
