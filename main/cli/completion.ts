// `hypha completion bash|zsh|fish`: shell completion made from the command table, so it knows
// every command and option there is. Service ids come from the running daemon through the hidden
// `hypha __ids`, which answers nothing (quickly) when no daemon answers.
import type { CommandSpec } from './command.js';
import { COMMON_OPTIONS } from './command.js';
import type { OptionSpec } from './args.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function opts(c: CommandSpec): OptionSpec[] {
  return [...(c.options ?? []), ...COMMON_OPTIONS];
}

function words(c: CommandSpec): string {
  return opts(c)
    .flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])])
    .join(' ');
}

/** Options whose value is a file (completed as paths). */
function fileOptions(commands: readonly CommandSpec[]): string[] {
  const out = new Set<string>();
  for (const c of commands) for (const o of opts(c)) if (o.value === 'FILE') out.add(`--${o.name}`).add(o.short ? `-${o.short}` : `--${o.name}`);
  return [...out];
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(commands: readonly CommandSpec[]): string {
  const visible = commands.filter((c) => !c.hidden);
  const cases = visible.map((c) => `    ${c.name}) opts=${sq(words(c))}; kind=${c.completes ?? 'none'} ;;`).join('\n');
  const files = fileOptions(commands);
  return `# hypha completion for bash. Load it with:  source <(hypha completion bash)
# or save it as ~/.local/share/bash-completion/completions/hypha
_hypha() {
  local cur prev cmd opts kind
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${sq(visible.map((c) => c.name).join(' ') + ' --help --version')} -- "$cur") )
    return 0
  fi
  case "$cmd" in
${cases}
    *) return 0 ;;
  esac
${files.length > 0 ? `  case "$prev" in\n    ${files.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;\n  esac\n` : ''}  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  elif [ "$kind" = ids ]; then
    COMPREPLY=( $(compgen -W "$(hypha __ids 2>/dev/null) all" -- "$cur") )
  elif [ "$kind" = shells ]; then
    COMPREPLY=( $(compgen -W ${sq(SHELLS.join(' '))} -- "$cur") )
  fi
  return 0
}
complete -F _hypha hypha
`;
}

function zsh(commands: readonly CommandSpec[]): string {
  const visible = commands.filter((c) => !c.hidden);
  const described = visible.map((c) => sq(`${c.name}:${c.summary.replace(/:/g, '\\:')}`)).join(' ');
  const cases = visible.map((c) => `    ${c.name}) opts=(${words(c)}); kind=${c.completes ?? 'none'} ;;`).join('\n');
  const files = fileOptions(commands);
  return `#compdef hypha
# hypha completion for zsh. Load it with:  source <(hypha completion zsh)
# or save it as _hypha in a folder of your $fpath.
_hypha() {
  local -a cmds opts
  local kind
  cmds=(${described})
  if (( CURRENT == 2 )); then
    _describe 'command' cmds
    return
  fi
  case $words[2] in
${cases}
    *) return ;;
  esac
${files.length > 0 ? `  case $words[CURRENT-1] in\n    ${files.join('|')}) _files; return ;;\n  esac\n` : ''}  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
  elif [[ $kind == ids ]]; then
    compadd -- \${(f)"$(hypha __ids 2>/dev/null)"} all
  elif [[ $kind == shells ]]; then
    compadd -- ${SHELLS.join(' ')}
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _hypha "$@"
else
  compdef _hypha hypha
fi
`;
}

function fish(commands: readonly CommandSpec[]): string {
  const visible = commands.filter((c) => !c.hidden);
  const lines = [
    '# hypha completion for fish. Load it with:  hypha completion fish | source',
    '# or save it as ~/.config/fish/completions/hypha.fish',
    'complete -c hypha -f',
    ...visible.map((c) => `complete -c hypha -n __fish_use_subcommand -a ${c.name} -d ${sq(c.summary)}`),
  ];
  for (const c of visible) {
    const when = `'__fish_seen_subcommand_from ${c.name}'`;
    for (const o of opts(c)) {
      const value = o.value ? (o.value === 'FILE' ? ' -r -F' : ' -r') : '';
      lines.push(`complete -c hypha -n ${when}${o.short ? ` -s ${o.short}` : ''} -l ${o.name}${value} -d ${sq(o.help)}`);
    }
    if (c.completes === 'ids') lines.push(`complete -c hypha -n ${when} -a '(hypha __ids 2>/dev/null) all'`);
    if (c.completes === 'shells') lines.push(`complete -c hypha -n ${when} -a ${sq(SHELLS.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, commands: readonly CommandSpec[]): string {
  return shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands);
}
