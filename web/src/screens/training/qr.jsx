// qr.jsx: a QR code drawn as one SVG path (uqr computes the modules; no
// inline style, so the page's Content-Security-Policy is kept).
import { encode } from 'uqr';

/** The QR code of text, size px wide, labelled label for screen readers. */
export function QrCode({ text, label, size = 240 }) {
  const { data } = encode(text, { ecc: 'M', border: 2 });
  const n = data.length;
  let d = '';
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (data[y][x]) d += `M${x} ${y}h1v1h-1z`;
  return (
    <svg class="qr" role="img" aria-label={label} viewBox={`0 0 ${n} ${n}`} width={size} height={size} shape-rendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
