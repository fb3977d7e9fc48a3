/**
 * The facts script: ONE POSIX sh script, run as root in a single round trip, whose output is
 * split into sections by `@@nodeless:<name>@@` marker lines. Every probe tolerates missing
 * tools (busybox, minimal images) and prints nothing rather than failing the whole script.
 *
 * @see ./parse.ts — the pure parser of this output
 */

/** Marker line that starts a section. */
export const sectionMarker = (name: string): string => `@@nodeless:${name}@@`;

// KVM_GET_API_VERSION = _IO(KVMIO=0xAE, 0x00) = 0xAE00; the answer is 12 on every modern kernel.
// https://docs.kernel.org/virt/kvm/api.html#kvm-get-api-version
const KVM_PROBE = String.raw`if [ ! -e /dev/kvm ]; then echo absent
elif command -v python3 >/dev/null 2>&1; then python3 -c 'import fcntl,os
try:
    fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    print("api", fcntl.ioctl(fd, 0xAE00))
except OSError as e:
    print("error", e.strerror)' 2>&1
elif command -v perl >/dev/null 2>&1; then perl -e 'open(my $f, "+<", "/dev/kvm") or do { print "error $!\n"; exit 0 }; my $a = 0; my $r = ioctl($f, 0xAE00, $a); if (defined $r) { print "api ", ($r eq "0 but true" ? 0 : $r), "\n" } else { print "error $!\n" }' 2>&1
else echo untestable; fi`;

/** The facts script (sections in the order the parser documents). */
export const FACTS_SCRIPT = [
  'export LC_ALL=C PATH="$PATH:/usr/sbin:/sbin"',
  `echo '${sectionMarker('os-release')}'`,
  'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  `echo '${sectionMarker('uname')}'`,
  'uname -m; uname -r',
  `echo '${sectionMarker('nproc')}'`,
  'nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null',
  `echo '${sectionMarker('cpuinfo')}'`,
  "grep -m1 -E '^(model name|Hardware|cpu model|CPU part)' /proc/cpuinfo 2>/dev/null",
  "grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null",
  `echo '${sectionMarker('kvm')}'`,
  KVM_PROBE,
  `echo '${sectionMarker('vhost')}'`,
  'for m in vhost_vsock vhost_net; do if [ -d /sys/module/$m ]; then echo "$m loaded"; ' +
    'elif modinfo $m >/dev/null 2>&1; then echo "$m loadable"; ' +
    'elif command -v modinfo >/dev/null 2>&1; then echo "$m absent"; else echo "$m unknown"; fi; done',
  'for d in /dev/vhost-vsock /dev/vhost-net; do [ -e $d ] && echo "dev $d"; done',
  `echo '${sectionMarker('meminfo')}'`,
  "grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo",
  `echo '${sectionMarker('swaps')}'`,
  'cat /proc/swaps 2>/dev/null',
  `echo '${sectionMarker('df')}'`,
  'df -P -B1 /var/lib 2>/dev/null || df -Pk /var/lib 2>/dev/null',
  `echo '${sectionMarker('cgroup')}'`,
  'stat -fc %T /sys/fs/cgroup 2>/dev/null',
  `echo '${sectionMarker('init')}'`,
  'cat /proc/1/comm 2>/dev/null',
  `echo '${sectionMarker('hostname')}'`,
  'hostname 2>/dev/null || cat /proc/sys/kernel/hostname',
  `echo '${sectionMarker('machine-id')}'`,
  'cat /etc/machine-id 2>/dev/null',
  'if command -v ss >/dev/null 2>&1; then',
  `  echo '${sectionMarker('ss')}'`,
  '  ss -H -lntup 2>/dev/null',
  'else',
  `  echo '${sectionMarker('proc-net')}'`,
  '  for f in tcp tcp6 udp udp6; do echo "# $f"; cat /proc/net/$f 2>/dev/null; done',
  'fi',
  `echo '${sectionMarker('k3s')}'`,
  '[ -x /usr/local/bin/k3s ] && /usr/local/bin/k3s --version 2>/dev/null | head -n 1',
  'for u in k3s k3s-agent; do if [ -f /etc/systemd/system/$u.service ]; then ' +
    'echo "unit $u $(systemctl is-active $u 2>/dev/null)"; fi; done',
  `echo '${sectionMarker('kata')}'`,
  '[ -x /opt/kata/bin/kata-runtime ] && /opt/kata/bin/kata-runtime --version 2>/dev/null | head -n 1',
  `echo '${sectionMarker('end')}'`,
  'exit 0',
].join('\n');
