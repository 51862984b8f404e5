"use client";
/**
 * Renders the page again once a time it shows has passed: a gradual installation's next
 * release creates jobs the page's live filter does not know yet (it follows the jobs it
 * listed), so the page asks again a little after the minute's sweep has released them.
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** The sweep runs once a minute: by then it has released what was due. */
const AFTER_SWEEP_MS = 65_000;
const DAY = 86_400_000;

export function RefreshAt({ at }: { at: string | null }) {
  const router = useRouter();
  useEffect(() => {
    if (!at) return;
    const wait = new Date(at).getTime() - Date.now() + AFTER_SWEEP_MS;
    if (wait > DAY) return;
    const timer = setTimeout(() => router.refresh(), Math.max(5_000, wait));
    return () => clearTimeout(timer);
  }, [at, router]);
  return null;
}
