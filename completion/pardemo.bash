# pardemo.bash - bash completion for pardemo.
# Topics come from `pardemo list` and options from `pardemo TOPIC --help`,
# so completion always matches the binary it completes for.

_pardemo_topics()
{
    "$1" list 2>/dev/null | awk '{print $1}'
}

# The options of one topic, and the choices of one option ("a|b|c").
_pardemo_opts()
{
    "$1" "$2" --help 2>/dev/null |
        awk '/^options:/{o=1;next} /^$/{o=0} o' |
        grep -oE '(^| )--?[a-zA-Z][-a-zA-Z]*' | tr -d ' '
}

_pardemo_choices()
{
    "$1" "$2" --help 2>/dev/null |
        awk -v opt="$3" '$0 ~ "(^| )" opt "( |$)" {
            if (match($0, /\(([a-z0-9-]+\|)+[a-z0-9-]+/)) {
                s = substr($0, RSTART + 1, RLENGTH - 1); gsub(/\|/, " ", s)
                print s
            }
        }'
}

_pardemo()
{
    local cur prev bin topic choices
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    bin=${COMP_WORDS[0]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$(_pardemo_topics "$bin") list help --help --version" -- "$cur"))
        return 0
    fi
    topic=${COMP_WORDS[1]}
    if [ "$topic" = help ]; then
        [ "$COMP_CWORD" -eq 2 ] &&
            COMPREPLY=($(compgen -W "$(_pardemo_topics "$bin")" -- "$cur"))
        return 0
    fi
    case $prev in
    -*)
        choices=$(_pardemo_choices "$bin" "$topic" "$prev")
        if [ -n "$choices" ]; then
            COMPREPLY=($(compgen -W "$choices" -- "$cur"))
            return 0
        fi
        case $prev in
        -o|--output|--save|--addr|--from|--topic|--answers|-t|--threads|-n|--size|-r|--reps|-s|--seed)
            [ "$prev" = -o ] || [ "$prev" = --output ] || [ "$prev" = --save ] &&
                COMPREPLY=($(compgen -f -- "$cur"))
            [ "$prev" = --from ] || [ "$prev" = --topic ] &&
                COMPREPLY=($(compgen -W "$(_pardemo_topics "$bin")" -- "$cur"))
            return 0 ;;
        esac ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_pardemo_opts "$bin" "$topic")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
}
complete -o filenames -F _pardemo pardemo
