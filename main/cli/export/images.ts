// The container image of each service for compose and Kubernetes: `x-image` on the service in
// hypha.yaml (the loader keeps x- keys out of the config, so they are read from the file), else
// --image, else a placeholder the export warns about.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const PLACEHOLDER_IMAGE = 'debian:stable-slim';

export function serviceImages(file: string): Map<string, string> {
  const images = new Map<string, string>();
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    return images;
  }
  const services = doc !== null && typeof doc === 'object' ? (doc as { services?: unknown }).services : undefined;
  if (services === null || typeof services !== 'object') return images;
  for (const [id, svc] of Object.entries(services as Record<string, unknown>)) {
    const image = svc !== null && typeof svc === 'object' ? (svc as Record<string, unknown>)['x-image'] : undefined;
    if (typeof image === 'string' && image.trim() !== '') images.set(id, image.trim());
  }
  return images;
}
