#!/bin/bash
# Regenerate the seed corpus fuzz/corpus/<target>/ (target = the fuzz_*.c
# name without fuzz_).  The seeds are committed; run this only to change
# them.  Seeds are small valid inputs (and a few near misses) so that the
# fuzzer starts deep inside each parser:
#   - Images, initrds, DTBs and event logs come from the real tools
#     (tests/bats/fixtures.bash make_image, gzip, dtc, realmvm dry runs);
#   - tokens, rings and register scripts are built by the Python below
#     from the published layouts (virtio 1.x, RFC 8949/9052, CCA).
# Regression inputs (crashes once found) are named regress-* and are
# never removed by this script.
#
# Needs: ./realmvm (make), clang for build/fuzz/fuzz_event_log, dtc,
# gzip, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
C=fuzz/corpus
RV=${REALMVM:-./realmvm}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for d in cca_token cli cmdline corim dtb event_log host_config image initrd uart \
	 virtio_mmio virtqueue p9; do
	mkdir -p "$C/$d"
	find "$C/$d" -type f ! -name 'regress-*' -delete
done

# shellcheck source=../tests/bats/fixtures.bash
source tests/bats/fixtures.bash

# ---- kernel Images: raw, old-style header, gzip, truncated gzip ----
make_image "$C/image/raw-4k" 4096
make_image "$C/image/old-header" 1024 0x80000 0
make_image "$C/image/text-offset" 2048 0x200000
make_image "$T/k64" 65536
gzip -9nc "$T/k64" >"$C/image/gzip-64k"
head -c 40 "$C/image/gzip-64k" >"$C/image/gzip-truncated"
cat "$C/image/gzip-64k" "$C/image/gzip-64k" >"$C/image/gzip-two-members"

# ---- initrds: plain, gzip, gzip with trailing garbage ----
head -c 3000 /dev/zero | tr '\0' 'I' >"$C/initrd/plain"
gzip -9nc "$C/initrd/plain" >"$C/initrd/gzip"
{ cat "$C/initrd/gzip"; printf 'garbage'; } >"$C/initrd/gzip-trailing"
printf '\x1f' >"$C/initrd/one-byte"

# ---- DTBs: a small tree and realmvm's generated ones ----
dtc -q -I dts -O dtb -o "$C/dtb/small" - <<'DTS'
/dts-v1/;
/ {
	model = "seed";
	#address-cells = <2>;
	#size-cells = <2>;
	chosen { bootargs = "console=ttyS0"; };
	memory@80000000 {
		device_type = "memory";
		reg = <0x0 0x80000000 0x0 0x10000000>;
	};
};
DTS
"$RV" run --dry-run -k "$T/k64" --dtb-out "$C/dtb/generated" >/dev/null
"$RV" run --dry-run --realm -c 2 --rng --console virtio -k "$T/k64" \
	--dtb-out "$C/dtb/generated-realm" >/dev/null

# ---- event logs: dry runs with the kernel, initrd and DTB that
# fuzz_event_log.c replays against (it writes them out), under each host
# profile ----
make --no-print-directory -s build/fuzz/fuzz_event_log
FUZZ_EVENT_LOG_BLOBS=$T build/fuzz/fuzz_event_log
B=(-k "$T/kernel" -i "$T/initrd" --dtb "$T/dtb")
for host in cca-v10 cca-v12 cca-v14; do
	"$RV" run --dry-run --realm --host "$host" "${B[@]}" \
		--log-out "$T/log-$host" >/dev/null
done
"$RV" run --dry-run --realm --host cca-v10 --measurement-algo sha512 \
	"${B[@]}" --log-out "$T/log-sha512" >/dev/null
# Only the events: the zero-filled rest of the log region adds nothing.
for log in "$T"/log-*; do
	len=$("$RV" log show "$log" | sed -n 's/^Length: //p')
	head -c "$len" "$log" >"$C/event_log/${log##*/log-}"
done

# ---- host config files ----
printf '%s\n' '# seed' ipa_bits=48 num_bps=6 num_wps=4 sve_max_vl=512 \
	pmu_counters=8 lpa2=true >"$C/host_config/full"
printf 'ipa_bits = 40 # comment\r\nlpa2=0\n' >"$C/host_config/spaces"
printf 'sve_max_vl=129\n' >"$C/host_config/bad-vl"

# ---- `realmvm run` arguments, NUL-separated ----
args() { local a; for a in "$@"; do printf '%s\0' "$a"; done; }
args -k Image -m 512M -c 4 --realm --dry-run >"$C/cli/basic"
args -k Image --realm --measurement-algo sha512 --realm-pv-hex 00ff \
	--sve-vl 256 --pmu-counters 4 --num-bps 4 --num-wps 4 --lpa2 \
	--host cca-v12 --host-config h --log-out l --dtb-out d --json \
	--trace --threads 2 >"$C/cli/realm-all"
args -k Image --disk a,ro --disk b --network tap=tap0 --rng \
	--console virtio --no-reboot -p 'console=hvc0' -i initrd --dtb dtb \
	>"$C/cli/devices"
args -k Image -d a.img,ro -d b,bogus -n mode=tap,tapif=t0,guest_mac=52:54:00:12:34:56 \
	-n none --9p /srv,tag -f fw --name vm1 --pmu --nodefaults \
	--dump-dtb out -m 1T >"$C/cli/lkvm"
args 0x10000000 -k x -m 0x1G >"$C/cli/hex-size"
args -k >"$C/cli/missing-value"

# ---- whole command lines with files (fuzz_cmdline.c's format: a
# command byte, four u16-length files, NUL-separated arguments) ----
head -c 3000 /dev/zero | tr '\0' I >"$T/cl-initrd"
"$RV" run --realm --dry-run -k "$C/image/raw-4k" -i "$T/cl-initrd" \
	--dtb-out "$T/cl-dtb" --log-out "$T/cl-log" >/dev/null
python3 - "$C" "$T" <<'PY'
import struct, sys
C, T = sys.argv[1], sys.argv[2]
rd = lambda p: open(p, "rb").read()
k, gz = rd(C + "/image/raw-4k"), rd(C + "/image/gzip-64k")
ini, dtb, log = rd(T + "/cl-initrd"), rd(T + "/cl-dtb"), rd(T + "/cl-log")
hc = b"ipa_bits=48\nnum_bps=6\n"

def seed(name, cmd, files, args):
    files = list(files) + [b""] * (4 - len(files))
    out = bytes([cmd])
    for f in files:
        out += struct.pack("<H", len(f)) + f
    out += b"\0".join(a.encode() for a in args)
    open(C + "/cmdline/" + name, "wb").write(out)

seed("run-realm-all", 0, [k, ini, b"", hc], "--realm -k @0 -i @1 --host-config @3 --dtb-out @o0 --log-out @o1".split())
seed("run-gzip-params", 0, [gz], ["-k", "@0", "--dtb-out", "@o0", "-p", "console=ttyS0 earlycon"])
seed("run-user-dtb", 0, [k, b"", dtb], "--realm -k @0 -d @2 --dtb-out @o0 --log-out @o1 --json".split())
seed("run-same-output", 0, [k], "--realm -k @0 --dtb-out @o0 --log-out @o0".split())
seed("run-output-is-input", 0, [k, ini], "--realm -k @0 -i @1 --dtb-out @o0 --log-out @1".split())
seed("run-fifo-kernel", 0, [k], "-k @fifo --dtb-out @o0".split())
seed("run-symlink-output", 0, [k], "--realm -k @0 --dtb-out @link --log-out @o1".split())
seed("run-dir-output", 0, [k], "-k @0 --dtb-out @dir".split())
seed("run-nodir-output", 0, [k], "--realm -k @0 --dtb-out @o0 --log-out @nodir".split())
seed("log-verify", 1, [k, ini, dtb, log], "verify @3 --kernel @0 --initrd @1 --dtb @2".split())
seed("log-verify-fifo", 1, [k, ini, dtb, log], "verify @3 --kernel @fifo --initrd @1 --dtb @2".split())
seed("log-show-json", 1, [b"", b"", b"", log], "show @3 --json".split())
PY

python3 - "$C" <<'PY'
import os, struct, sys
C = sys.argv[1]

def w(rel, data):
    with open(os.path.join(C, rel), "wb") as f:
        f.write(data)

# ---- CBOR (RFC 8949) and a CCA token: tag 399 { 44234: platform,
# 44241: realm }, each a COSE_Sign1 (tag 18); signatures are filler, the
# decoder only checks shapes ----
def head(major, v):
    m = major << 5
    if v < 24: return bytes([m | v])
    if v < 256: return bytes([m | 24, v])
    if v < 65536: return bytes([m | 25]) + struct.pack(">H", v)
    if v < 1 << 32: return bytes([m | 26]) + struct.pack(">I", v)
    return bytes([m | 27]) + struct.pack(">Q", v)
def uint(v): return head(0, v) if v >= 0 else head(1, -1 - v)
def bstr(b): return head(2, len(b)) + b
def tstr(s): return head(3, len(s)) + s.encode()
def arr(*xs): return head(4, len(xs)) + b"".join(xs)
def cmap(pairs): return head(5, len(pairs)) + b"".join(k + v for k, v in pairs)
def tag(t, x): return head(6, t) + x

def sign1(alg, payload, siglen):
    return tag(18, arr(bstr(cmap([(uint(1), uint(alg))])), cmap([]),
                       bstr(payload), bstr(b"\x55" * siglen)))

def realm_claims(hname, hsize):
    rim = b"\x11" * hsize
    return cmap([(uint(10), bstr(b"\xc3" * 64)),
                 (uint(44235), bstr(b"\x5a" * 64)),
                 (uint(44236), tstr(hname)),
                 (uint(44237), bstr(b"\x04" + b"\x22" * 96)),
                 (uint(44238), bstr(rim)),
                 (uint(44239), arr(*[bstr(b"\0" * hsize)] * 4)),
                 (uint(44240), tstr("sha-384"))])

def token(hname, hsize):
    plat = sign1(-7, cmap([(uint(10), bstr(b"\x33" * 48))]), 64)
    realm = sign1(-35, realm_claims(hname, hsize), 96)
    return tag(399, cmap([(uint(44234), bstr(plat)),
                          (uint(44241), bstr(realm))]))

w("cca_token/sha256", token("sha-256", 32))
w("cca_token/sha512", token("sha-512", 64))
w("cca_token/nested", arr(*[arr()] * 3) + head(4, 1) * 40 + uint(0))
w("cca_token/indefinite", b"\x9f\x01\x02\xff\xbf\x61a\x01\xff")

# ---- split virtqueues (virtio 1.x, 2.7): header, RAM image, script ----
RAM = 8 * 1024
def vq_input(num, flags, desc, avail, used, ram, script=b""):
    hdr = struct.pack("<HBBIIII", num, flags, RAM // 1024 - 1,
                      desc, avail, used, 0)
    if not script:	# the harness pads RAM with zeros
        ram = bytes(ram).rstrip(b"\0")
    return hdr + bytes(ram) + script

def desc(addr, length, flags, nxt):
    return struct.pack("<QIHH", addr, length, flags, nxt)

def ring(num, heads, desc_off=0x0, avail_off=0x800, used_off=0xc00):
    ram = bytearray(RAM)
    struct.pack_into("<HH", ram, avail_off, 0, len(heads))
    for i, h in enumerate(heads):
        struct.pack_into("<H", ram, avail_off + 4 + 2 * i, h)
    return ram, desc_off, avail_off, used_off

BASE = 0x80000000
NEXT, WRITE, INDIRECT = 1, 2, 4
# two chains: 0 -> 1 (read, then write), and 2 alone (write)
ram, d, a, u = ring(8, [0, 2])
ram[0:16] = desc(BASE + 0x1000, 16, NEXT, 1)
ram[16:32] = desc(BASE + 0x1100, 64, WRITE, 0)
ram[32:48] = desc(BASE + 0x1200, 32, WRITE, 0)
w("virtqueue/two-chains", vq_input(8, 0, d, a, u, ram))
# an indirect table of three descriptors
ram, d, a, u = ring(8, [0])
ram[0:16] = desc(BASE + 0x1800, 48, INDIRECT, 0)
ram[0x1800:0x1810] = desc(BASE + 0x1000, 8, NEXT, 1)
ram[0x1810:0x1820] = desc(BASE + 0x1100, 8, NEXT | WRITE, 2)
ram[0x1820:0x1830] = desc(BASE + 0x1200, 8, WRITE, 0)
w("virtqueue/indirect", vq_input(8, 1, d, a, u, ram))
# a loop 0 -> 1 -> 0
ram, d, a, u = ring(4, [0])
ram[0:16] = desc(BASE + 0x1000, 8, NEXT, 1)
ram[16:32] = desc(BASE + 0x1000, 8, NEXT, 0)
w("virtqueue/loop", vq_input(4, 0, d, a, u, ram))
# realm addresses carrying the shared bit, then a script: pop, guest
# bumps avail->idx, pop again, stray push, unpop, reset with new rings
SH = 1 << 40
ram, d, a, u = ring(8, [0, 0])
ram[0:16] = desc(BASE + 0x1000 | SH, 16, WRITE, 0)
script = (b"\x00" + struct.pack("<HH", 0, 0) +
          b"\x02" + struct.pack("<IH", a + 2, 2) +
          b"\x01" + struct.pack("<HH", 4, 0) +
          b"\x03" + struct.pack("<HI", 7, 100) +
          b"\x04" +
          b"\x05" + struct.pack("<HIII", 4, 0x100, 0x900, 0xd00) +
          b"\x00" + struct.pack("<HH", 0, 0))
w("virtqueue/realm-script", vq_input(8, 2, d, a, u, ram, script))

# ---- UART: op byte (bits 0-1 kind, bits 2+ width), offset byte ----
def uw(reg, val, width=1):
    return bytes([0 | (width << 2), 16 + reg]) + struct.pack("<Q", val)
def ur(reg, width=1):
    return bytes([1 | (width << 2), 16 + reg])
def uin(data, polite=1):
    return bytes([3, 0]) + struct.pack("<HB", len(data), polite) + data
w("uart/init-and-echo",
  uw(3, 0x80) + uw(0, 1) + uw(1, 0) + uw(3, 0x03) + uw(2, 0x07) +
  uw(1, 0x0f) + uw(4, 0x0b) + uw(0, ord("A")) + ur(2) + ur(5) +
  uin(b"hello\r") + ur(2) + ur(5) + ur(0) + ur(0) + ur(6) + ur(7, 4))
w("uart/loopback-overrun",
  uw(4, 0x1f) + ur(6) + uin(b"x" * 300, 0) + ur(5) + ur(0) + uw(7, 0x55, 8)
  + ur(7) + ur(9, 3))

# ---- virtio-mmio: a driver bringing up virtio-rng (slot 0) and
# virtio-blk (slot 1), then requests ----
def mw(dev, reg, val):
    return bytes([0, dev]) + struct.pack("<HI", reg, val)
def mr(dev, reg):
    return bytes([3, dev]) + struct.pack("<H", reg)
def poke(off, data):
    return bytes([5, 0, 0, 0]) + struct.pack("<IB", off, len(data)) + data
def notify(dev, q):
    return bytes([7, dev]) + struct.pack("<H", q)

def bring_up(dev, feats_hi, desc, avail, used, num=8):
    s = mr(dev, 0x000) + mr(dev, 0x004) + mr(dev, 0x008)
    s += mw(dev, 0x070, 0) + mw(dev, 0x070, 1) + mw(dev, 0x070, 3)
    s += mw(dev, 0x014, 1) + mr(dev, 0x010)
    s += mw(dev, 0x024, 1) + mw(dev, 0x020, feats_hi)
    s += mw(dev, 0x024, 0) + mw(dev, 0x020, 0)
    s += mw(dev, 0x070, 0xb) + mr(dev, 0x070)
    s += mw(dev, 0x030, 0) + mr(dev, 0x034) + mw(dev, 0x038, num)
    s += mw(dev, 0x080, BASE + desc) + mw(dev, 0x084, 0)
    s += mw(dev, 0x090, BASE + avail) + mw(dev, 0x094, 0)
    s += mw(dev, 0x0a0, BASE + used) + mw(dev, 0x0a4, 0)
    s += mw(dev, 0x044, 1) + mw(dev, 0x070, 0xf)
    return s

def chain_ring(desc_off, avail_off, descs, heads):
    s = b""
    for i, dd in enumerate(descs):
        s += poke(desc_off + 16 * i, dd)
    avail = struct.pack("<HH", 0, len(heads)) + b"".join(
        struct.pack("<H", h) for h in heads)
    return s + poke(avail_off, avail)

rng = bring_up(0, 1, 0x0000, 0x0400, 0x0800)
rng += chain_ring(0x0000, 0x0400,
                  [desc(BASE + 0x2000, 64, WRITE, 0)], [0])
rng += notify(0, 0) + mr(0, 0x060) + mw(0, 0x064, 1)
w("virtio_mmio/rng", b"\x00" + rng)

# virtio-blk request: header (type u32, reserved u32, sector u64), data,
# status byte; type 1 = write, 0 = read, 4 = flush, 8 = get id
def blk_req(t, sector, datalen, base):
    hdr = struct.pack("<IIQ", t, 0, sector)
    ds = [desc(BASE + base, 16, NEXT, 1)]
    if datalen:
        ds.append(desc(BASE + base + 0x100, datalen,
                       NEXT | (WRITE if t in (0, 8) else 0), 2))
    ds.append(desc(BASE + base + 0x400, 1, WRITE, 0))
    return ds, poke(base, hdr)

# all four requests at once: heads 0, 3, 6, 9 of a 16-entry queue
blk = bring_up(1, 1, 0x3000, 0x3400, 0x3800, num=16)
descs, heads = [], []
for i, (t, sec, n) in enumerate(((1, 0, 512), (0, 0, 512), (4, 0, 0),
                                 (8, 0, 20))):
    base = 0x4000 + 0x800 * i
    ds, hdr = blk_req(t, sec, n, base)
    first = len(descs)
    # chain the request's descriptors by their place in the table
    for j, dd in enumerate(ds):
        a, l, f, nx = struct.unpack("<QIHH", dd)
        descs.append(desc(a, l, f, first + j + 1 if f & NEXT else 0))
    descs += [desc(0, 0, 0, 0)] * (3 - len(ds))
    heads.append(first)
    blk += hdr
blk += chain_ring(0x3000, 0x3400, descs, heads) + notify(1, 0)
blk += mr(1, 0x060) + mw(1, 0x064, 1) + mr(1, 0x070)
w("virtio_mmio/blk", b"\x00" + blk)

# the realm flavour: ACCESS_PLATFORM (bit 33) must be accepted too
rblk = bring_up(1, 3, 0x3000, 0x3400, 0x3800, num=16)
ds, hdr = blk_req(1, 2, 512, 0x4000)
rblk += hdr + chain_ring(0x3000, 0x3400, ds, [0]) + notify(1, 0)
w("virtio_mmio/blk-realm", b"\x01" + rblk)

# virtio-console (slot 2): transmit queue 1 carries "hi\n"
con = bring_up(2, 1, 0x0000, 0x0400, 0x0800)
con += mw(2, 0x030, 1) + mw(2, 0x038, 8)
con += mw(2, 0x080, BASE + 0x1000) + mw(2, 0x084, 0)
con += mw(2, 0x090, BASE + 0x1400) + mw(2, 0x094, 0)
con += mw(2, 0x0a0, BASE + 0x1800) + mw(2, 0x0a4, 0) + mw(2, 0x044, 1)
con += poke(0x2000, b"hi\n")
con += chain_ring(0x1000, 0x1400, [desc(BASE + 0x2000, 3, 0, 0)], [0])
con += chain_ring(0x0000, 0x0400, [desc(BASE + 0x2100, 64, WRITE, 0)], [0])
con += notify(2, 1) + notify(2, 0)
w("virtio_mmio/console", b"\x00" + con)
w("virtio_mmio/config-reads", b"\x00" + b"".join(
    bytes([3 | 8 | (wd << 4), dev]) + struct.pack("<H", 0x100 + off)
    for dev in (0, 1, 2) for off in (0, 1, 7, 0x3c) for wd in (1, 2, 4, 8)))

# ---- 9P2000.L requests as Linux's v9fs sends them (size[4] type[1]
# tag[2], then the fields of the 9P2000.L protocol text), and near misses ----
def s9(t): return struct.pack("<H", len(t)) + t
def m9(typ, tag, body): return struct.pack("<IBH", 7 + len(body), typ, tag) + body
w("p9/version", m9(100, 0xffff, struct.pack("<I", 131072) + s9(b"9P2000.L")))
w("p9/attach", m9(104, 1, struct.pack("<II", 0, 0xffffffff) + s9(b"root") + s9(b"") + struct.pack("<I", 0)))
w("p9/walk", m9(110, 2, struct.pack("<IIH", 0, 1, 3) + s9(b"a") + s9(b"..") + s9(b"c")))
w("p9/lcreate", m9(14, 3, struct.pack("<I", 1) + s9(b"new") + struct.pack("<III", 0o102, 0o644, 0)))
w("p9/write", m9(118, 4, struct.pack("<IQI", 1, 0, 5) + b"hello"))
w("p9/read", m9(116, 5, struct.pack("<IQI", 1, 0, 4096)))
w("p9/setattr", m9(26, 6, struct.pack("<IIIIIQQQQQ", 1, 0x7f, 0o755, 0, 0, 10, 1, 2, 3, 4)))
w("p9/renameat", m9(74, 7, struct.pack("<I", 0) + s9(b"old") + struct.pack("<I", 0) + s9(b"new")))
w("p9/symlink", m9(16, 8, struct.pack("<I", 0) + s9(b"ln") + s9(b"../../etc") + struct.pack("<I", 0)))
w("p9/lock", m9(52, 9, struct.pack("<IBIQQI", 1, 1, 0, 0, 100, 42) + s9(b"guest")))
w("p9/bad-count", m9(118, 10, struct.pack("<IQI", 1, 0, 0xffffffff) + b"x"))
w("p9/bad-nul", m9(72, 11, struct.pack("<I", 0) + s9(b"a\0b") + struct.pack("<II", 0o755, 0)))
PY

# ---- CoRIMs: the reference's 204-byte golden example, and realmvm's
# own outputs (several records with REMs and an RPV, signed) ----
echo "d901f5a30050284e6c3e5d9f4f6b851f5a4247f243a70181d901fa587da201a100503f06af63a93c11e4979700505690773f04a1008182a100a100d902305820311314ab73620350cf758834ae5c65d9e8c2dc7febe6e7d9654bbe864e300d4981a200676363612e72696d01a1028182677368612d3235365820311314ab73620350cf758834ae5c65d9e8c2dc7febe6e7d9654bbe864e300d4903d820782d7461673a61726d2e636f6d2c323032353a656e646f7273656d656e74732f6363615f7265616c6d23312e302e30" |
	xxd -r -p >"$C/corim/golden-204"
"$RV" run --realm --dry-run -k "$T/k64" --host all --measurement-algo sha512 \
	--realm-pv seed --corim-rem "1=$(printf '%0128d' 7)" \
	--corim "$C/corim/sha512-rpv-rem" --corim-profile cca-03 >/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$T/k.pem"
"$RV" run --realm --dry-run -k "$T/k64" --host all \
	--corim "$C/corim/signed-host-all" --corim-key "$T/k.pem" >/dev/null

du -sh "$C"
for d in "$C"/*/; do
	printf '%-14s %3d files %7d bytes\n' "$(basename "$d")" \
		"$(find "$d" -type f | wc -l)" "$(cat "$d"/* | wc -c)"
done
