import type { ReactNode } from 'react';

/** A plain data table with a (visually hidden) caption, so screen readers announce what it lists. */
export function Table({
  caption,
  head,
  children,
  className,
}: {
  caption: string;
  head: string[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
