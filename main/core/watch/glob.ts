// The small glob language of `watch.ignore`, as .gitignore users write it: `*` and `?` within a
// path segment, `**` across segments. A pattern without `/` matches any one segment (`node_modules`,
// `*.log` anywhere); a pattern with `/` matches the path from the watched root, and everything
// under a folder it matches.

export type Matcher = (relativePath: string) => boolean;

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function globMatcher(patterns: readonly string[]): Matcher {
  const bySegment: RegExp[] = [];
  const byPath: RegExp[] = [];
  for (const raw of patterns) {
    const p = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (p === '') continue;
    (p.includes('/') ? byPath : bySegment).push(toRegExp(p.replace(/^\//, '')));
  }
  return (relativePath) => {
    const segments = relativePath.split(/[\\/]/).filter(Boolean);
    if (segments.some((s) => bySegment.some((re) => re.test(s)))) return true;
    for (let n = 1; n <= segments.length; n++) {
      const prefix = segments.slice(0, n).join('/');
      if (byPath.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
}
