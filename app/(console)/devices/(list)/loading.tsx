/**
 * While the devices list renders. In its own route group, so that it does not wrap the device
 * pages: a loading boundary above them streams their response, which then cannot be a 404.
 */
export default function Loading() {
  return (
    <div className="loading" aria-busy="true">
      <p role="status">Loading…</p>
      <div className="skeleton" aria-hidden="true">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    </div>
  );
}
