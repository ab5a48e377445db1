import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * What Node's HTTP parser refuses before Express sees the request — a request line and headers
 * over Node's 16 KB limit (an LMS's oversized login_hint in a GET login), or a request that does
 * not parse — gets a short readable page instead of Node's bare status line with no body.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const [status, reason, text] = tooLarge
      ? [
          431,
          'Request Header Fields Too Large',
          'This address is too long for Pathwise to read. If your LMS sent you here, ask its administrator to check the link.',
        ]
      : [400, 'Bad Request', 'Pathwise could not read this request.'];
    const body =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>Pathwise</title></head><body><main><h1>${reason}</h1><p>${text}</p></main></body></html>`;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Security-Policy: default-src 'none'\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
