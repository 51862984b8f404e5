import Link from "next/link";
import type { ValidationIssue } from "@/lib/validation";

/** What is wrong with a page's address (or a form), parameter by parameter, and a way out. */
export function IssuesBox({ title, issues, resetHref, resetText }: { title: string; issues: ValidationIssue[]; resetHref: string; resetText: string }) {
  return (
    <div className="issues-box" role="alert" data-testid="issues">
      <h2>{title}</h2>
      <ul>
        {issues.map((issue, i) => (
          <li key={i}>
            <code>{issue.field}</code>: {issue.message}
          </li>
        ))}
      </ul>
      <Link href={resetHref}>{resetText}</Link>
    </div>
  );
}
