// Splits a command line into words the way a POSIX shell would for plain words and quotes
// ('…', "…", backslash), and says when it cannot (pipes, $VAR, globs …): then the command stays a
// string and runs through the shell, as the other tool ran it.

const SHELL_ONLY = /[|&;<>()$`*?[\]{}~!#]/;

/** Words, or null when the line needs a shell to mean what it says. */
export function splitWords(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return null;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        const d = line[j] as string;
        if (d === '$' || d === '`') return null;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) j++;
        word += line[j];
      }
      if (j >= line.length) return null;
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return null;
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (SHELL_ONLY.test(c) && !(c === '#' && inWord) && !(c === '~' && inWord)) {
      return null;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words.length > 0 ? words : null;
}

/** The command as hypha.yaml holds it: an argv list when the line is plain words, else the string. */
export function commandFromLine(line: string): string | string[] {
  return splitWords(line.trim()) ?? line.trim();
}
