# bash completion for faqtory(1): the subcommands, each one's options, the
# values of --format, --lang and --level, and files or folders where an
# option or argument names one.  Installed as
# PREFIX/share/bash-completion/completions/faqtory.  The lists follow the
# command table in faqtory.c, ingest/ingest.c's formats and
# index/tokenize.c's stemmers (tests/e2e/completion.sh checks them).

_faqtory_commands="ingest stats index answers search related clusters trends
render build serve"

# The options of one subcommand (besides --quiet and --help).
_faqtory_options()
{
	case $1 in
	ingest) echo "--db --no-duplicate-links --format --lang --json --jobs --full" ;;
	stats) echo "--db --json --config" ;;
	index) echo "--db --json --check --full --jobs" ;;
	answers) echo "--db --json --eval --strict-votes" ;;
	search) echo "--db --json --limit --any --entries --no-fix" ;;
	related) echo "--db --json --k" ;;
	clusters) echo "--db --json --level" ;;
	trends) echo "--db --json --csv" ;;
	render) echo "--db --out --template --config --report --full --jobs" ;;
	build) echo "--db --out --template --config --report --curation --lang --full --jobs" ;;
	serve) echo "--port" ;;
	esac
}

_faqtory_formats="stackexchange discourse github jsonl"
_faqtory_langs="none arabic armenian basque catalan danish dutch english
finnish french german greek hindi hungarian indonesian irish italian
lithuanian nepali norwegian portuguese romanian russian serbian spanish
swedish tamil turkish yiddish"

_faqtory_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen "$1" -- "$2")
}

_faqtory()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[1]}

	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W \
		    "$_faqtory_commands --help --version" -- "$cur")
		return 0
	fi
	case $prev in
	--format) mapfile -t COMPREPLY < <(compgen -W "$_faqtory_formats" \
	    -- "$cur"); return 0 ;;
	--lang) mapfile -t COMPREPLY < <(compgen -W "$_faqtory_langs" \
	    -- "$cur"); return 0 ;;
	--level) mapfile -t COMPREPLY < <(compgen -W "issue topic" \
	    -- "$cur"); return 0 ;;
	--db | --config | --curation) _faqtory_files -f "$cur"; return 0 ;;
	--out | --template | --report) _faqtory_files -d "$cur"; return 0 ;;
	--port | --limit | --k) return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W \
		    "$(_faqtory_options "$cmd") --quiet --help" -- "$cur")
		return 0
	fi
	case $cmd in
	ingest | build) _faqtory_files -f "$cur" ;;
	serve) _faqtory_files -d "$cur" ;;
	esac
	return 0
}

complete -F _faqtory faqtory
