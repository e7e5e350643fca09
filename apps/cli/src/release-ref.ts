import { ApiError, graphql, type ApiOptions } from './api.js';

export interface ReleaseRef {
  id: string;
  product: string;
  version: string;
  status: string;
}

const BY_ID = 'query ReleaseById($id: ID!) { release(id: $id) { id product version status } }';
const BY_VERSION =
  'query ReleaseByVersion($product: String!, $version: String!) { releaseByVersion(product: $product, version: $version) { id product version status } }';

/** A release named as product@version (e.g. shop@2.4.0) or by its id, as planning knows it. */
export async function resolveRelease(api: ApiOptions, ref: string, option = '--release'): Promise<ReleaseRef> {
  const trimmed = ref.trim();
  if (!trimmed)
    throw new ApiError(`${option} is empty; give the release as product@version (e.g. shop@2.4.0) or its id`);
  const at = trimmed.lastIndexOf('@');
  if (at > 0 && at < trimmed.length - 1) {
    const [product, version] = [trimmed.slice(0, at), trimmed.slice(at + 1)];
    const found = (await graphql<{ releaseByVersion: ReleaseRef | null }>(api, BY_VERSION, { product, version }))
      .releaseByVersion;
    if (!found) throw new ApiError(`release ${trimmed} does not exist (no release ${version} of product ${product})`);
    return found;
  }
  const found = (await graphql<{ release: ReleaseRef | null }>(api, BY_ID, { id: trimmed })).release;
  if (!found) throw new ApiError(`release ${trimmed} does not exist; give its id or product@version, e.g. shop@2.4.0`);
  return found;
}
