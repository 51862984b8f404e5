import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = { title: { default: "DeployDesk", template: "%s · DeployDesk" } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/devices" className="brand">
            DeployDesk
          </Link>
          <nav aria-label="Main">
            <Link href="/devices">Devices</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
