# bash completion for cmt(1), libcommitments' command-line tool.
# Commands and options are read from the binary's own help (`cmt --help`,
# `cmt COMMAND --help`), so the completion follows the installed version.
# SPDX-License-Identifier: LGPL-3.0-or-later

_cmt_commands()
{
	"$1" --help 2>/dev/null |
		awk '/^Commands:/ { f = 1; next } f && /^$/ { exit } f { print $1 }'
}

_cmt_options()
{
	"$1" "$2" --help 2>/dev/null |
		grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--?[a-zA-Z][a-z-]*'
}

_cmt()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]} cmd= i w
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--policy | --events | --at | --view | --format) ((i++)) ;;
		-*) ;;
		*) cmd=$w; break ;;
		esac
	done
	COMPREPLY=()
	case $prev in
	--policy)
		COMPREPLY=($(compgen -W "vclt un-registration written-only" -- "$cur"))
		COMPREPLY+=($(compgen -f -X '!*.cmt' -- "$cur") $(compgen -d -- "$cur"))
		return ;;
	--events)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "text json jsonl" -- "$cur"))
		return ;;
	--view)
		COMPREPLY=($(compgen -W "all verified" -- "$cur"))
		return ;;
	--at)
		return ;;
	esac
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_cmt_commands "$bin") help" -- "$cur"))
		fi
		return
	fi
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "$(_cmt_commands "$bin")" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_cmt_options "$bin" "$cmd")" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -X '!*.cmt' -- "$cur") $(compgen -d -- "$cur"))
	[ "$cur" = - ] && COMPREPLY+=(-)
}

complete -o filenames -F _cmt cmt
