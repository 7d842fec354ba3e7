// A QR code drawn as inline SVG (no image request, nothing for the CSP to allow). The encoder is loaded only
// when a QR code is shown, so sign-in never downloads it.
import { useEffect, useState } from 'react';

/** Quiet zone the QR specification requires around the symbol, in modules. */
const QUIET = 4;

export function QrCode(props: { text: string; label: string; size?: number }) {
  const { text, label, size = 200 } = props;
  const [shape, setShape] = useState<{ path: string; modules: number } | null>(null);

  useEffect(() => {
    let current = true;
    void import('qrcode-generator').then(({ default: qrcode }) => {
      // Level M: readable from a screen at an angle, and the URI still fits a small symbol.
      const qr = qrcode(0, 'M');
      qr.addData(text, 'Byte');
      qr.make();
      const n = qr.getModuleCount();
      let path = '';
      for (let row = 0; row < n; row++) {
        for (let col = 0; col < n; col++) if (qr.isDark(row, col)) path += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
      }
      if (current) setShape({ path, modules: n });
    });
    return () => {
      current = false;
    };
  }, [text]);

  if (!shape) return <div className="qr qr--loading" aria-busy="true" />;
  const extent = shape.modules + 2 * QUIET;
  return (
    <svg
      className="qr"
      data-testid="totp-qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#fff" />
      <path d={shape.path} fill="#000" />
    </svg>
  );
}
