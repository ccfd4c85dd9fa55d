#!/bin/sh
# Host side of the issue-10b check on the emulated CCA stack (second run).
cd /work
mkdir -p /out
./realmvm caps >/out/caps.conf 2>&1
echo "H-CAPS rc=$?"

echo "== firmware, normal VM"
timeout 120 ./realmvm run --firmware test-firmware.bin -m 64M >/out/fw-vm.txt 2>&1
echo "H-FW-VM rc=$?"
sed 's/^/FWVM /' /out/fw-vm.txt

echo "== firmware realm"
./realmvm run --realm --dry-run --host cca-v10 --host-config /out/caps.conf \
	--firmware test-firmware.bin -m 256M -c 1 >/out/fw-dry.txt 2>&1
echo "H-FW-DRY rc=$?"
grep '^RIM' /out/fw-dry.txt | sed 's/^/FWDRY /'
timeout 240 ./realmvm run --realm --firmware test-firmware.bin -m 256M -c 1 \
	--log-out /out/fw.log --dtb-out /out/fw.dtb >/out/fw-run.txt 2>&1
echo "H-FW-RUN rc=$?"
sed 's/^/FWRUN /' /out/fw-run.txt
./realmvm log verify /out/fw.log --firmware test-firmware.bin --dtb /out/fw.dtb \
	--host cca-v10 --expect-rim "$(sed -n 's/^RIM: //p' /out/fw-dry.txt)" 2>&1 |
	sed 's/^/FWLOG /'

echo "== demo guest realm (same UART/RSI code, Image format)"
timeout 120 ./realmvm run --realm -k demo.Image -m 256M >/out/demo.txt 2>&1
echo "H-DEMO rc=$?"
sed 's/^/DEMO /' /out/demo.txt

prep() {
	rm -rf /tmp/share /tmp/outside
	mkdir -p /tmp/share /tmp/outside
	dd if=/dev/urandom of=/tmp/share/in.bin bs=1024 count=512 2>/dev/null
	echo SECRET >/tmp/outside/secret
	ln -s ../outside /tmp/share/outlink
}
mkdir -p /tmp/www
echo "hello over slirp" >/tmp/www/hello.txt
dd if=/dev/urandom of=/tmp/www/big.bin bs=1024 count=1024 2>/dev/null
report() {
	echo "H-IN $(sha256sum /tmp/share/in.bin | cut -d' ' -f1)"
	echo "H-BACK $(sha256sum /tmp/share/back.bin 2>&1 | cut -d' ' -f1)"
	echo "H-FROMGUEST $(sha256sum /tmp/share/fromguest.bin 2>&1 | cut -d' ' -f1)"
	echo "H-BIG $(sha256sum /tmp/www/big.bin | cut -d' ' -f1)"
	echo "H-OUTSIDE $(ls /tmp/outside | tr '\n' ' ') $(cat /tmp/outside/secret)"
}

# The CCA host's /init leaves lo down: slirp reaches the host through it.
./busybox ip link set lo up
./busybox httpd -p 127.0.0.1:8080 -h /tmp/www
echo "H-HTTPD rc=$? $(./busybox wget -q -O - http://127.0.0.1:8080/hello.txt)"
for mode in vm realm; do
	echo "== $mode: 9p and user networking"
	prep
	r=; [ $mode = realm ] && r=--realm
	timeout 900 ./realmvm run $r -k Image -i initrd.cpio -m 256M \
		-p "console=ttyS0 rodata=full quiet" \
		--9p /tmp/share,share --network mode=user >/out/$mode.txt 2>&1
	echo "H-$mode rc=$?"
	grep -E '^G|realmvm:|Segm' /out/$mode.txt | sed "s/^/$mode /"
	report | sed "s/^/$mode /"
done
