/**
 * Test support: is this CI? `.ci/run` sets CI=1 (unless the CI service already set CI). Where a
 * test needs something CI provides (the peer fixture in ../shared, Debian's Chromium), it may
 * skip outside CI but must fail inside it, so a green CI run never hides a skipped check.
 */
export const inCi = !['', '0', 'false'].includes(process.env.CI ?? '');
