// Reads `strace -f -e trace=network` output and names every network use that leaves the machine or
// looks a name up: a connect/sendto/sendmsg to an AF_INET/AF_INET6 address outside 127.0.0.0/8 and
// ::1, anything to port 53 (DNS, loopback resolvers included), and a connect to a local resolver's
// socket (nscd, systemd-resolved): a lookup even when it fails. Used by no-network.test.ts.

export interface NetworkUse {
  line: string;
  why: string;
}

const SENDS = /\b(connect|sendto|sendmsg|sendmmsg)\(/;
const RESOLVER_SOCKETS = [/nscd/, /systemd\/resolve/, /io\.systemd\.Resolve/];

function isLoopback4(addr: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(addr);
}

function isLoopback6(addr: string): boolean {
  const a = addr.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(a);
  return mapped !== null && isLoopback4(mapped[1]);
}

/** The network uses in strace's text that a program which never goes online must not make. */
export function offMachineNetworkUses(straceText: string): NetworkUse[] {
  const uses: NetworkUse[] = [];
  for (const line of straceText.split('\n')) {
    if (!SENDS.test(line)) continue;
    if (line.includes('sa_family=AF_UNIX')) {
      const path = /sun_path=(@?"[^"]*")/.exec(line)?.[1] ?? '';
      if (RESOLVER_SOCKETS.some((r) => r.test(path))) uses.push({ line, why: `name lookup through ${path}` });
      continue;
    }
    const inet = /sa_family=AF_INET,\s*sin_port=htons\((\d+)\),\s*sin_addr=inet_addr\("([^"]+)"\)/.exec(line);
    if (inet) {
      const [, port, addr] = inet;
      if (port === '53') uses.push({ line, why: `DNS to ${addr}:53` });
      else if (!isLoopback4(addr)) uses.push({ line, why: `IPv4 ${addr}:${port}` });
      continue;
    }
    if (line.includes('sa_family=AF_INET6')) {
      const port = /sin6_port=htons\((\d+)\)/.exec(line)?.[1] ?? '?';
      const addr = /inet_pton\(AF_INET6,\s*"([^"]+)"/.exec(line)?.[1] ?? '?';
      if (port === '53') uses.push({ line, why: `DNS to [${addr}]:53` });
      else if (!isLoopback6(addr)) uses.push({ line, why: `IPv6 [${addr}]:${port}` });
    }
    // A send without an address goes where its socket was connected: that connect is judged above.
  }
  return uses;
}

/**
 * System calls on internet sockets (for the figures): those naming AF_INET/AF_INET6, and sends and
 * receives, which local IPC here (stdio, tsx's pipe, worker ports) does not use.
 */
export function internetCallCount(straceText: string): number {
  return straceText
    .split('\n')
    .filter((l) => /\bAF_INET6?\b/.test(l) || (/\b(send|recv)(to|from|msg|mmsg)\(/.test(l) && !l.includes('AF_UNIX'))).length;
}
