/** The tag of an image reference (`shop/web:2.0.0` → `2.0.0`), or undefined for `shop/web` and digests. */
export function imageTag(image: string): string | undefined {
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (image.includes('@')) return undefined;
  return colon >= 0 ? image.slice(colon + 1) : undefined;
}

/** The `version` label of a pod's metrics: its image tag (`shop/web` → `latest`, a digest stands for itself). */
export function versionOfImage(image: string): string {
  return imageTag(image) ?? (image.includes('@') ? image.slice(image.indexOf('@') + 1) : 'latest');
}
