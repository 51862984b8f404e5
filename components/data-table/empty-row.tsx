import type { ReactNode } from "react";

/** The row a table shows when it has none: one cell across all columns. */
export function EmptyRow({ columns, text }: { columns: number; text: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {text}
      </td>
    </tr>
  );
}
