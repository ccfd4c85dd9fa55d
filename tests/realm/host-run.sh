#!/bin/sh
# run.sh of the payload that tests/realm/suite.sh hands to the emulated
# CCA host (../shared/cca-stack/boot.sh runs it as root in /work): read
# the host's capabilities with `realmvm caps`, then for every case of
# cases.sh predict the RIM with a dry run on this host's caps file and
# launch the realm with the same arguments.  Everything lands in /out for
# realm.bats; nothing is judged here.
cd /work || exit 1
export PATH=/work/bin:$PATH
# Every KVM call of every launch goes to its log: the sequences of
# docs/host-abi-sequences.md section 6 are read from these.
export REALMVM_TRACE_KVM=1
OUT=/out
mkdir -p $OUT

realmvm caps >$OUT/caps.conf 2>$OUT/caps.err
echo $? >$OUT/caps.rc
# A caps file that no longer describes this host (SVE shortened).
sed 's/^sve_max_vl=.*/sve_max_vl=256/' $OUT/caps.conf >stale-caps.conf

# The net case's peer: this host at 10.0.2.1 on the realm's tap, with a
# web server holding a blob the realm fetches through its virtio-net.
mkdir -p www
cp blob.bin www/blob
httpd -p 10.0.2.1:8080 -h /work/www 2>/dev/null &
tap_up() {
	i=0
	while [ $i -lt 600 ] && ! ip link show rvtap0 >/dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	ip addr add 10.0.2.1/24 dev rvtap0
	ip link set rvtap0 up
	# httpd started before the address existed: start it again on it
	httpd -p 10.0.2.1:8080 -h /work/www
}

# The slirp case's peer: slirp reaches the host through its loopback
# (10.0.2.2:PORT in the realm is 127.0.0.1:PORT here), which this host's
# /init leaves down.
ip link set lo up
httpd -p 127.0.0.1:8081 -h /work/www

# The 9p case's share: a file to read, and links that point out of it
# (absolute, relative, to /) at a directory whose secret must not reach
# the realm.
mkdir -p share outside
cp 9p-in.bin share/in.bin
cp outside-secret outside/secret
ln -s /work/outside share/outlink
ln -s ../outside share/uplink
ln -s / share/rootlink

# task_disk NAME ACTION RIM RPV REPLAY: the unmeasured first disk.
task_disk() {
	f=task-$1.img
	printf 'marker=%s\naction=%s\nexpect_rim=%s\nexpect_rpv=%s\nreplay=%s\n' \
		"$1" "$2" "$3" "$4" "$5" >$f
	truncate -s 65536 $f
	[ "$5" = 1 ] && tar -c -f - -C ref . >>$f
	truncate -s $((($(stat -c %s $f) + 4095) / 4096 * 4096)) $f
}

realm_case() {
	name=$1 action=$2 replay=$4
	shift 4
	echo "== case $name: $*"
	# only the SLIRP=1 build has --network mode=user
	vmm=realmvm
	[ $action = slirp ] && vmm=realmvm-slirp
	# Cases that only want the host's word use no caps file at launch.
	caps="--host-config $OUT/caps.conf"
	[ "$name" = base ] && launch_caps= || launch_caps=$caps
	truncate -s 4096 task-$name.img
	$vmm run --realm --dry-run $caps -k Image -i initrd.cpio \
		--disk task-$name.img "$@" --log-out $OUT/$name.log.bin \
		>$OUT/$name.dry 2>&1
	echo $? >$OUT/$name.dry.rc
	rim=$(sed -n 's/^RIM: //p' $OUT/$name.dry)
	rpv=
	case " $* " in *" --realm-pv-hex "*) rpv=$(sed -n 's/^rpv: //p' $OUT/$name.dry) ;; esac
	task_disk $name $action "$rim" "$rpv" $replay
	if [ $action = blk ]; then
		cp blk-data.bin blk.img
		truncate -s $((2 << 20)) blk.img
	fi
	[ $action = net ] && tap_up &
	start=$(date +%s)
	# This host kernel has no CONFIG_SECCOMP, so no seccomp sandbox
	# (the no-seccomp bad case shows the refusal without this option).
	timeout 900 $vmm run --realm --sandbox=off $launch_caps \
		-k Image -i initrd.cpio \
		--disk task-$name.img "$@" </dev/null >$OUT/$name.out 2>&1
	echo $? >$OUT/$name.rc
	echo $(($(date +%s) - start)) >$OUT/$name.secs
	# where the realm left its first token (guest-init.sh)
	dd if=task-$name.img bs=4096 skip=8 count=8 of=$OUT/$name.tokarea \
		2>/dev/null
	if [ $action = blk ]; then
		dd if=blk.img bs=65536 count=16 2>/dev/null | sha256sum |
			cut -d' ' -f1 >$OUT/$name.blk-read
		dd if=blk.img bs=65536 skip=16 count=16 2>/dev/null |
			sha256sum | cut -d' ' -f1 >$OUT/$name.blk-written
	fi
	if [ $action = 9p ]; then
		sha256sum share/fromguest.bin 2>&1 | cut -d' ' -f1 \
			>$OUT/$name.9p-written
		ls -A outside | tr '\n' ' ' >$OUT/$name.outside
		cat outside/secret | sha256sum | cut -d' ' -f1 \
			>>$OUT/$name.outside
	fi
	echo "   status $(cat $OUT/$name.rc) after $(cat $OUT/$name.secs) s"
}

# The test firmware as the realm: a dry run, then the launch.
fw_case() {
	name=$1
	shift 2
	echo "== firmware case $name: $*"
	caps="--host-config $OUT/caps.conf"
	realmvm run --realm --dry-run $caps -f fw.bin "$@" \
		--log-out $OUT/$name.log.bin >$OUT/$name.dry 2>&1
	echo $? >$OUT/$name.dry.rc
	start=$(date +%s)
	timeout 300 realmvm run --realm --sandbox=off $caps -f fw.bin "$@" \
		</dev/null >$OUT/$name.out 2>&1
	echo $? >$OUT/$name.rc
	echo $(($(date +%s) - start)) >$OUT/$name.secs
	echo "   status $(cat $OUT/$name.rc) after $(cat $OUT/$name.secs) s"
}

bad_case() {
	name=$1
	shift 2
	echo "== bad input $name: $*"
	truncate -s 4096 task-bad.img
	# no KVM trace here: stderr must hold the error line alone
	REALMVM_TRACE_KVM= timeout 300 realmvm run --realm -k Image -i initrd.cpio \
		--disk task-bad.img "$@" </dev/null \
		>$OUT/bad-$name.stdout 2>$OUT/bad-$name.stderr
	echo $? >$OUT/bad-$name.rc
}

. ./cases.sh
