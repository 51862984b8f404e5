/** What a list's loading boundary shows while its page renders: a status line and skeleton rows. */
export function DataTableLoading({ rows = 8 }: { rows?: number }) {
  return (
    <div className="loading" aria-busy="true">
      <p role="status">Loading…</p>
      <div className="skeleton" aria-hidden="true">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    </div>
  );
}
