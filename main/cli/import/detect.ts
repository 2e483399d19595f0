// Which tool a file belongs to: by its name first (ecosystem.config.js, Procfile,
// supervisord.conf, process-compose.yaml, docker-compose.yml / compose.yaml), then by its content
// (`processes:` → process-compose, `services:` → compose, `[program:` → supervisord, `name: cmd`
// lines → Procfile), so renamed files still import.
import { basename } from 'node:path';
import { parse } from 'yaml';
import { isRecord } from './mapping.js';

export type Format = 'pm2' | 'process-compose' | 'procfile' | 'supervisord' | 'compose';
export const FORMATS: readonly Format[] = ['pm2', 'process-compose', 'procfile', 'supervisord', 'compose'];

export function detectFormat(file: string, text: string): Format | null {
  const name = basename(file).toLowerCase();
  if (/\.(c|m)?js$/.test(name) || /^ecosystem.*\.json$/.test(name) || /^pm2.*\.json$/.test(name)) return 'pm2';
  if (name.startsWith('procfile')) return 'procfile';
  if (/supervisord?.*\.conf$|\.ini$/.test(name) || /^\s*\[program:/m.test(text)) return 'supervisord';
  if (name.startsWith('process-compose')) return 'process-compose';
  if (/^(docker-)?compose.*\.ya?ml$/.test(name)) return 'compose';
  if (/\.json$/.test(name)) return 'pm2';
  if (/\.ya?ml$/.test(name)) {
    let doc: unknown;
    try {
      doc = parse(text);
    } catch {
      return null;
    }
    if (isRecord(doc) && isRecord(doc.processes)) return 'process-compose';
    if (isRecord(doc) && isRecord(doc.services)) return 'compose';
    return null;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (lines.length > 0 && lines.every((l) => /^[A-Za-z0-9_-]+\s*:\s*\S/.test(l))) return 'procfile';
  return null;
}
