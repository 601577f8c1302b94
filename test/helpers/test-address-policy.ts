/**
 * TEST ONLY: address policies that let the SSRF-guarded downloader reach servers on 127.0.0.1,
 * injected through createImageDownloader's deps. The service's own policy comes from config
 * (createAddressPolicy over IMAGE_URL_INTERNAL_ALLOW / WEBHOOK_INTERNAL_ALLOW, empty by default).
 */
export const testOnlyAllowLoopback = (ip: string) => ip === '127.0.0.1';
