/**
 * Previous / Next for a keyset-paged table: links that carry a cursor (a position, not a page
 * number: page 5,000 costs what page 1 costs, and rows added meanwhile do not shift the pages).
 * There is no page count or "last page" for the same reason; "First page" drops the cursor.
 */
import Link from "next/link";
import type { ReactNode } from "react";

type Props = {
  summary: ReactNode;
  firstHref: string | null;
  previousHref: string | null;
  nextHref: string | null;
  /** Other words for a link that goes on with a search rather than to a page ("Next searches further"). */
  previousLabel?: string;
  nextLabel?: string;
};

export function DataTablePagination({ summary, firstHref, previousHref, nextHref, previousLabel = "Previous", nextLabel = "Next" }: Props) {
  return (
    <nav className="pagination" aria-label="Pages">
      <p className="page-summary">{summary}</p>
      <div className="page-links">
        {firstHref && (
          <Link href={firstHref} scroll={false}>
            First page
          </Link>
        )}
        <PageLink href={previousHref} rel="prev">
          ← {previousLabel}
        </PageLink>
        <PageLink href={nextHref} rel="next">
          {nextLabel} →
        </PageLink>
      </div>
    </nav>
  );
}

function PageLink({ href, rel, children }: { href: string | null; rel: string; children: ReactNode }) {
  return href ? (
    <Link href={href} rel={rel} className="page-link" scroll={false}>
      {children}
    </Link>
  ) : (
    // Not a link when there is nowhere to go: still in the layout, announced as unavailable.
    <span className="page-link" aria-disabled="true">
      {children}
    </span>
  );
}
