/**
 * Issue 15, finding 4: the DynamoDB Local that `npm start` and the tests run takes any
 * credentials, so it must listen on 127.0.0.1 only. The kernel's own table of listening
 * sockets (/proc/net/tcp, tcp6) says where it is bound.
 */
import { readFileSync } from 'node:fs';

/** Local addresses (hex, as the kernel writes them) of the TCP sockets listening on `port`. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length > 3 && fields[3] === '0A' && fields[1].endsWith(`:${hexPort}`))
      .map((fields) => fields[1].slice(0, -5)),
  );
}

/** 127.0.0.1 in /proc/net/tcp (0100007F) or as an IPv4-mapped IPv6 address in tcp6. */
const loopback = new Set(['0100007F', '0000000000000000FFFF00000100007F']);

test('DynamoDB Local listens on 127.0.0.1 and on nothing else', () => {
  // Prepare
  const port = Number(new URL(String(process.env.DYNAMODB_ENDPOINT)).port);
  // Act
  const addresses = listeningAddresses(port);
  // Assess
  expect(addresses.length).toBeGreaterThan(0);
  expect(addresses.filter((address) => !loopback.has(address))).toEqual([]);
});
