/** The SSRF guard's address classes, in every spelling that reaches them. */
import { isForbiddenAddress, literalTargetViolation, resolvePublicAddress } from '../../../functions/net/ssrf.js';

test.each([
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '192.0.0.8',
  '198.18.0.1',
  '::',
  '::1',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'fec0::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:a9fe:a9fe',
  '::127.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::10.0.0.1',
  '2002:7f00:1::',
  '2002:a9fe:a9fe::1',
  '[::1]',
  // Issue 15: the local-use NAT64 prefix and the IPv4-translated form.
  '64:ff9b:1::a9fe:a9fe',
  '64:ff9b:1::808:808',
  '64:ff9b:1:ffff::1',
  '::ffff:0:127.0.0.1',
  '::ffff:0:7f00:1',
  '::ffff:0:a9fe:a9fe',
  '::ffff:0:10.0.0.1',
])('%s is refused', (address) => {
  // Act / Assess
  expect(isForbiddenAddress(address)).toBe(true);
});

test.each([
  '8.8.8.8',
  '1.1.1.1',
  '100.63.255.255',
  '100.128.0.1',
  '172.15.0.1',
  '172.32.0.1',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
  '::ffff:0:8.8.8.8',
])('%s is allowed', (address) => {
  // Act / Assess
  expect(isForbiddenAddress(address)).toBe(false);
});

test.each([
  'http://127.0.0.1/',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://127.1/',
  'http://017700000001/',
  'https://[::1]:8443/x',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://169.254.169.254/latest/meta-data',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://0.0.0.0:3000',
  'http://100.64.1.1',
  'http://[fe80::1]/',
  'http://[64:ff9b:1::a9fe:a9fe]/',
  'http://[::ffff:0:127.0.0.1]/',
])('literal %s is refused at write time', (url) => {
  // Act / Assess
  expect(literalTargetViolation(url)).toEqual(expect.stringContaining('address'));
});

test.each(['https://example.com', 'https://8.8.8.8/dns', 'http://[2606:4700:4700::1111]/', 'http://localhost:3000/'])(
  '%s passes the literal check (names wait for DNS)',
  (url) => {
    // Act / Assess
    expect(literalTargetViolation(url)).toBeUndefined();
  },
);

test('a name is refused when any address it resolves to is internal', async () => {
  // Prepare
  const resolver = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.5', family: 4 },
  ];
  // Act / Assess
  await expect(resolvePublicAddress('mixed.example', resolver)).rejects.toThrow('not allowed');
  await expect(
    resolvePublicAddress('public.example', async () => [{ address: '93.184.216.34', family: 4 }]),
  ).resolves.toEqual({
    address: '93.184.216.34',
    family: 4,
  });
  await expect(resolvePublicAddress('localhost')).rejects.toThrow('not allowed');
});

test('a zone id makes the URL invalid before the guard is asked (the http-url format refuses it)', () => {
  // Act / Assess
  expect(() => new URL('http://[fe80::1%25eth0]/')).toThrow();
});
