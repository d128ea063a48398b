# Shell completions: thin wrappers around `robbe __complete`, installed
# where bash-completion, zsh and fish look for them.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completions/bash/robbe
zshcompletiondir = $(datadir)/zsh/site-functions
dist_zshcompletion_DATA = completions/zsh/_robbe
fishcompletiondir = $(datadir)/fish/vendor_completions.d
dist_fishcompletion_DATA = completions/fish/robbe.fish
