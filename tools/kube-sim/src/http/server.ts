import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ClusterApi, DeleteOptions, PropagationPolicy } from '../api/cluster-api.js';
import { ApiError, errors } from '../api/errors.js';
import { isPlainObject, type KubeObject } from '../api/types.js';
import { groupVersion, resourceKey } from '../kinds/kind.js';
import { patchTypes } from '../patch/apply-patch.js';
import { openWatch, type WatchEvent } from '../store/watch.js';
import type { TrafficMetrics } from '@flightdeck/workload-sim';
import { mediaType, parseBody, readBody } from './body.js';
import {
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  openApiV3GroupVersion,
  openApiV3Index,
  serverVersion,
} from './discovery.js';
import { parseResourcePath, type ResourcePath } from './resource-path.js';
import { toTable, wantsTable } from './table.js';

export interface HttpOptions {
  api: ClusterApi;
  traffic: TrafficMetrics;
  log: Logger;
  token?: string;
  maxBodyBytes: number;
  bookmarkIntervalMs: number;
}

const openPaths = new Set(['/healthz', '/livez', '/readyz', '/metrics']);
const bodyTypes = ['application/json', 'application/yaml'];

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  return v === null ? undefined : v === 'true' || v === '1';
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw errors.badRequest(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

/** `limit`: a whole number; 0 or less, as for the API server, means no limit. */
function limitParam(q: URLSearchParams): number | undefined {
  const v = q.get('limit');
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`limit must be a whole number, got ${JSON.stringify(v)}`);
  return n > 0 ? n : undefined;
}

/** A path outside every API group version this server serves: the API server's plain-text 404, not a Status. */
function notFoundPage(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('404 page not found\n');
}

/** The Kubernetes REST API over HTTP, plus /metrics and the health endpoints. */
export class ApiHttpServer {
  readonly server: Server;
  private readonly watches = new Set<() => void>();

  constructor(private readonly opts: HttpOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => this.fail(res, e));
    });
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const stop of this.watches) stop();
    this.watches.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private fail(res: ServerResponse, e: unknown): void {
    const err = e instanceof ApiError ? e : errors.internal((e as Error)?.message ?? String(e));
    if (!(e instanceof ApiError)) this.opts.log.error({ err: e }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err.code === 413) res.setHeader('Connection', 'close');
    send(res, err.code, err.toStatus());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (this.opts.token && !openPaths.has(path) && !tokenMatches(req.headers.authorization, this.opts.token))
      throw errors.unauthorized();
    if (path === '/metrics') {
      const text = await this.opts.traffic.text();
      res.writeHead(200, { 'Content-Type': this.opts.traffic.contentType });
      res.end(text);
      return;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (method === 'GET' && this.discovery(path, req, res)) return;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const parsed = parseResourcePath(this.opts.api.registry, segments);
    const gv =
      segments[0] === 'api'
        ? { group: '', version: segments[1] }
        : segments[0] === 'apis'
          ? { group: segments[1], version: segments[2] }
          : undefined;
    if (!gv || !this.opts.api.registry.inGroupVersion(gv.group ?? '', gv.version ?? '').length)
      return notFoundPage(res);
    if (parsed.type === 'groupVersion') {
      const list = apiResourceList(this.opts.api.registry, parsed.group, parsed.version);
      if (!list || method !== 'GET') throw errors.noRoute(path);
      send(res, 200, list);
      return;
    }
    if (parsed.type !== 'resource') throw errors.noRoute(path);
    await this.resource(parsed.target, method, url.searchParams, req, res);
  }

  private discovery(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    const registry = this.opts.api.registry;
    if (path === '/version') send(res, 200, serverVersion);
    else if (path === '/api') send(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
    else if (path === '/apis') send(res, 200, apiGroupList(registry));
    else if (path === '/openapi/v3') send(res, 200, openApiV3Index(registry));
    else if (path.startsWith('/openapi/v3/')) {
      const doc = openApiV3GroupVersion(registry, path.slice('/openapi/v3/'.length));
      if (!doc) throw errors.noRoute(path);
      send(res, 200, doc);
    } else if (path === '/openapi/v2') {
      // An empty protobuf document: kubectl then computes strategic merge patches from its built-in types.
      res.writeHead(200, {
        'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
        'Content-Length': 0,
      });
      res.end();
    } else if (/^\/apis\/[^/]+$/.test(path)) {
      const doc = apiGroupDoc(registry, path.slice('/apis/'.length));
      if (!doc) throw errors.noRoute(path);
      send(res, 200, doc);
    } else return false;
    return true;
  }

  private async body(req: IncomingMessage, allowed: string[]): Promise<{ type: string; value: unknown }> {
    const type = mediaType(req.headers['content-type']) || 'application/json';
    const buf = await readBody(req, this.opts.maxBodyBytes);
    if (!allowed.includes(type)) throw errors.unsupportedMediaType(type, allowed);
    return { type, value: parseBody(buf, type) };
  }

  private async resource(
    t: ResourcePath,
    method: string,
    q: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const { api } = this.opts;
    const { def, namespace, name, subresource } = t;
    if (def.namespaced && name !== undefined && namespace === undefined) throw errors.noRoute(req.url ?? '');
    if (
      subresource !== undefined &&
      !((subresource === 'status' && def.statusSubresource) || (subresource === 'scale' && def.scaleSubresource))
    )
      throw errors.noRoute(req.url ?? '');
    const dryRun = q.getAll('dryRun').includes('All');
    // As the API server names a writer without a fieldManager: its User-Agent up to the first slash.
    const fieldManager =
      q.get('fieldManager') || (req.headers['user-agent'] ?? '').split('/')[0]!.slice(0, 128) || undefined;
    const write = { dryRun, fieldManager, force: boolParam(q, 'force') === true };
    const tableFor = (items: ReturnType<typeof api.list>['items'], meta: Record<string, unknown>) =>
      toTable(def, items, meta, q.get('includeObject') ?? undefined, api.clock.now());

    if (name === undefined) {
      if (method === 'GET') {
        const opts = {
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
        };
        if (t.legacyWatch || boolParam(q, 'watch')) return this.watch(t, q, opts, req, res);
        const list = api.list(def, namespace, {
          ...opts,
          limit: limitParam(q),
          continue: q.get('continue') ?? undefined,
        });
        send(res, 200, wantsTable(req.headers.accept) ? tableFor(list.items, list.metadata) : list);
        return;
      }
      if (method === 'POST') {
        const { value } = await this.body(req, bodyTypes);
        send(res, 201, api.create(def, namespace, value, write));
        return;
      }
      if (method === 'DELETE') {
        const options = await this.deleteOptions(req, q);
        const list = api.deleteCollection(
          def,
          namespace,
          { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined },
          options,
        );
        send(res, 200, list);
        return;
      }
      throw errors.methodNotAllowed(method, `the collection ${def.plural}`);
    }

    switch (method) {
      case 'GET': {
        if (subresource === 'scale') return send(res, 200, api.getScale(def, namespace, name));
        const obj = api.get(def, namespace, name);
        send(
          res,
          200,
          wantsTable(req.headers.accept) ? tableFor([obj], { resourceVersion: obj.metadata.resourceVersion }) : obj,
        );
        return;
      }
      case 'PUT': {
        const { value } = await this.body(req, bodyTypes);
        if (subresource === 'scale') return send(res, 200, api.updateScale(def, namespace, name, value, write));
        if (subresource === 'status') return send(res, 200, api.updateStatus(def, namespace, name, value, write));
        send(res, 200, api.update(def, namespace, name, value, write));
        return;
      }
      case 'PATCH': {
        const { type, value } = await this.body(req, Object.values(patchTypes));
        const existed = type === patchTypes.apply ? !!api.tryGet(def, namespace, name) : true;
        send(
          res,
          existed ? 200 : 201,
          api.patch(def, namespace, name, type, value, subresource, {
            ...write,
            fieldManager: type === patchTypes.apply ? (q.get('fieldManager') ?? undefined) : fieldManager,
          }),
        );
        return;
      }
      case 'DELETE': {
        if (subresource) throw errors.methodNotAllowed(method, `${def.plural}/${subresource}`);
        const options = await this.deleteOptions(req, q);
        send(res, 200, api.delete(def, namespace, name, { ...options, dryRun }));
        return;
      }
      default:
        throw errors.methodNotAllowed(method, `${def.plural}/${name}`);
    }
  }

  private async deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
    const buf = await readBody(req, this.opts.maxBodyBytes);
    const body = buf.length > 0 ? parseBody(buf, 'application/json') : {};
    if (!isPlainObject(body))
      throw errors.badRequest('DeleteOptions must be a JSON object, e.g. {"propagationPolicy":"Foreground"}');
    const policy = (q.get('propagationPolicy') ??
      body.propagationPolicy ??
      (body.orphanDependents === true ? 'Orphan' : undefined)) as string | undefined;
    if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy))
      throw errors.badRequest(
        `propagationPolicy must be Background, Foreground or Orphan, got ${JSON.stringify(policy)}`,
      );
    const pre = isPlainObject(body.preconditions) ? body.preconditions : {};
    return {
      propagationPolicy: policy as PropagationPolicy | undefined,
      preconditions: {
        uid: typeof pre.uid === 'string' ? pre.uid : undefined,
        resourceVersion: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
      },
      dryRun: q.getAll('dryRun').includes('All') || (Array.isArray(body.dryRun) && body.dryRun.includes('All')),
    };
  }

  private watch(
    t: ResourcePath,
    q: URLSearchParams,
    selectors: { labelSelector?: string; fieldSelector?: string },
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const { api } = this.opts;
    const matches = api.matcher(t.def, selectors);
    const timeout = intParam(q, 'timeoutSeconds');
    const asTable = wantsTable(req.headers.accept);
    let firstRow = true;
    // `kubectl get -w` asks for Tables: each ADDED/MODIFIED/DELETED object becomes a one-row Table, headers first.
    const present = (event: WatchEvent): WatchEvent => {
      if (!asTable || event.type === 'BOOKMARK' || event.type === 'ERROR') return event;
      const table = toTable(
        t.def,
        [event.object as KubeObject],
        {},
        q.get('includeObject') ?? undefined,
        api.clock.now(),
      );
      if (!firstRow) table.columnDefinitions = [];
      firstRow = false;
      return { type: event.type, object: table };
    };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    let open = true;
    let stop = () => {};
    const finish = () => {
      if (!open) return;
      open = false;
      stop();
      this.watches.delete(finish);
      clearTimeout(timer);
      res.end();
    };
    const timer = timeout !== undefined ? setTimeout(finish, timeout * 1000) : undefined;
    this.watches.add(finish);
    req.on('close', finish);
    res.on('error', finish);
    stop = openWatch(
      api.store,
      {
        resource: resourceKey(t.def),
        apiVersion: groupVersion(t.def),
        kind: t.def.kind,
        namespace: t.def.namespaced ? t.namespace : undefined,
        matches,
        resourceVersion: q.get('resourceVersion') ?? undefined,
        sendInitialEvents: boolParam(q, 'sendInitialEvents'),
        allowBookmarks: boolParam(q, 'allowWatchBookmarks') === true,
        bookmarkIntervalMs: this.opts.bookmarkIntervalMs,
      },
      (event) => {
        if (!open) return;
        res.write(`${JSON.stringify(present(event))}\n`);
        // A client that stops reading must not make the server buffer without bound.
        if (res.writableLength > 16 * 1024 * 1024) finish();
      },
      finish,
    );
    if (!open) stop();
  }
}
