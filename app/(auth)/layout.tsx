import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <span className="brand">DeployDesk</span>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
