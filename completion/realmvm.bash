# bash completion for realmvm: commands, `run` options and their values,
# `log` and `token` subcommands, and VM names for `stop`.  Self-contained (no
# bash-completion helpers needed), installed as
# $(PREFIX)/share/bash-completion/completions/realmvm.

_realmvm_run_opts="-k --kernel -i --initrd --dtb -f --firmware -p --params
	--name -m --mem -c --cpus --console -d --disk -n --network --9p --rng
	--pmu --nodefaults --no-reboot --sandbox --realm --measurement-algo --realm-pv
	--realm-pv-hex --sve-vl --pmu-counters --num-bps --num-wps --lpa2
	--host --host-config --no-measurement-log --log-out --trace --dry-run
	--json --dump-dtb --dtb-out --threads --corim --corim-profile
	--corim-rem --corim-key --corim-signer --corim-cert --comid-json -h
	--help"

# The names `realmvm list` prints (its second column).
_realmvm_vm_names()
{
	realmvm list 2>/dev/null | awk 'NR > 1 { print $2 }'
}

_realmvm()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]}

	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run log caps token list stop version help
			--help -V --version" -- "$cur"))
		return
	fi
	case $cmd in
	run)
		case $prev in
		-k | --kernel | -i | --initrd | --dtb | -f | --firmware | \
		-d | --disk | --host-config | --log-out | --dump-dtb | --dtb-out | \
		--corim | --corim-key | --corim-cert | --comid-json)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return ;;
		--console)
			COMPREPLY=($(compgen -W "serial virtio" -- "$cur"))
			return ;;
		--sandbox)
			COMPREPLY=($(compgen -W "on off" -- "$cur"))
			return ;;
		--measurement-algo)
			COMPREPLY=($(compgen -W "sha256 sha512" -- "$cur"))
			return ;;
		--host)
			COMPREPLY=($(compgen -W "cca-v10 cca-v12 cca-v14 all" -- "$cur"))
			return ;;
		--corim-profile)
			COMPREPLY=($(compgen -W "cca-04 cca-03" -- "$cur"))
			return ;;
		-n | --network)
			COMPREPLY=($(compgen -W "mode=tap,tapif= mode=user mode=none
				none" -- "$cur"))
			compopt -o nospace 2>/dev/null
			return ;;
		--9p)
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			return ;;
		-p | --params | --name | -m | --mem | -c | --cpus | --realm-pv | \
		--realm-pv-hex | --sve-vl | --pmu-counters | --num-bps | \
		--num-wps | --threads | --corim-rem | --corim-signer)
			return ;;	# free values
		esac
		COMPREPLY=($(compgen -W "$_realmvm_run_opts" -- "$cur"))
		;;
	log)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "show verify" -- "$cur"))
			return
		fi
		case $prev in
		--host)
			COMPREPLY=($(compgen -W "cca-v10 cca-v12 cca-v14" -- "$cur"))
			return ;;
		--expect-rim)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--kernel --initrd --dtb --firmware
				--host --populate --expect-rim --json --help" -- "$cur"))
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		;;
	token)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "show verify" -- "$cur"))
			return
		fi
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	stop)
		[ "$COMP_CWORD" -eq 2 ] &&
			COMPREPLY=($(compgen -W "$(_realmvm_vm_names)" -- "$cur"))
		;;
	esac
}

complete -F _realmvm realmvm
