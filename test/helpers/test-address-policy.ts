/**
 * TEST ONLY: address policies that let the SSRF-guarded downloader reach servers on 127.0.0.1,
 * injected through createImageDownloader's deps. Production never passes an addressPolicy (config
 * has no way to set one), so the default isPublicAddress applies.
 */
export const testOnlyAllowLoopback = (ip: string) => ip === '127.0.0.1';
