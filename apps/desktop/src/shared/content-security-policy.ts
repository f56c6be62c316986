/**
 * The renderer's Content-Security-Policy, one definition for both faces: Electron main sets it on
 * every response of the window's session, `dirconn ui` on every HTTP response. Only the app's own
 * scripts, styles, images and API; no inline script, no eval, no framing, no plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
