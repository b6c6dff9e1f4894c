/**
 * `_links` / `_embedded` helpers (PROTOCOL.md §1.3). Links are followed, never built (§0.1 rule 1):
 * these helpers only read what the server sent and resolve relative hrefs against the right base.
 */
import type { Link, Resource } from './wire-types.js';

/** The href of a single-valued rel, or undefined when the capability is absent (absence = not available now). */
export function getHref(resource: Resource | undefined, rel: string): string | undefined {
  const value = resource?._links?.[rel];
  if (!value) return undefined;
  const link = Array.isArray(value) ? value[0] : value;
  return typeof link?.href === 'string' && link.href.length > 0 ? link.href : undefined;
}

/** A single link object (href + title), or undefined. */
export function getLink(resource: Resource | undefined, rel: string): Link | undefined {
  const value = resource?._links?.[rel];
  const link = Array.isArray(value) ? value[0] : value;
  return link && typeof link.href === 'string' ? link : undefined;
}

/** Every link of a repeating rel (a repeating rel is an array even with one element, §1.3). */
export function getLinks(resource: Resource | undefined, rel: string): Link[] {
  const value = resource?._links?.[rel];
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).filter((l): l is Link => typeof l?.href === 'string');
}

/** An embedded resource by rel (first element when the server sent an array). */
export function getEmbedded(resource: Resource | undefined, rel: string): Resource | undefined {
  const value = resource?._embedded?.[rel];
  if (!value) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return isResource(first) ? first : undefined;
}

/** True for a JSON object (not an array, not null). */
export function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string property, or undefined when it is missing or of another type (tolerate unknown shapes, §1.6). */
export function getString(resource: Resource | undefined, name: string): string | undefined {
  const value = resource?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Resolve an href against a base URL. Data URIs and absolute URLs are returned unchanged.
 * Throws a TypeError naming the href when it cannot be parsed.
 */
export function resolveHref(href: string, base: string): string {
  try {
    return new URL(href, base).toString();
  } catch (cause) {
    throw new TypeError(`Cannot resolve href ${JSON.stringify(href)} against ${base}`, { cause });
  }
}

/**
 * Add query parameters to a server href with a URL builder, keeping the server's own parameters
 * (`?ack=…`, `?instanceId=…`, `?originalDomain=…`) untouched (PROTOCOL.md §0.1 rule 1, `QueryParameters.md`).
 */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const u = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) u.searchParams.set(name, String(value));
  }
  return u.toString();
}

/** Parse the ASP.NET AJAX date form `"\/Date(1383784870271)\/"` (PROTOCOL.md §1.3); ISO strings are accepted too. */
export function parseUcwaDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\/?Date\((-?\d+)(?:[+-]\d{4})?\)\/?$/.exec(value.replace(/\\\//g, '/'));
  if (m) return new Date(Number(m[1]));
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}
