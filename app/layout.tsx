import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';

// SEC8: every page is rendered per request, so Next.js can put that response's CSP nonce on its
// scripts (server/app.ts sets it); a prerendered page would carry none and be blocked.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Split-Brain Lab',
  description: 'A classroom lives through a datacenter split-brain.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#f8fafc',
};

/** The shell every page shares: one stylesheet, one visual language. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
