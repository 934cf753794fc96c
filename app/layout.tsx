import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';

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
