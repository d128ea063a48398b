# fish completion for robbe: a thin wrapper around `robbe __complete`,
# which answers from the same option tables as the parser.
# For docker too (when docker is robbe): complete -c docker -f -a '(__robbe_complete)'

function __robbe_complete
    set -l prev (commandline -opc)
    set -l cur (commandline -ct)
    set -l prog $prev[1]
    set -e prev[1]
    for line in ($prog __complete $prev "$cur" 2>/dev/null)
        switch $line
            case ':file'
                __fish_complete_path $cur
            case ':dir'
                __fish_complete_directories $cur
            case ''
            case '*'
                echo $line
        end
    end
end

complete -c robbe -f -a '(__robbe_complete)'
