import { describe, expect, it } from 'vitest';
import { SiteSettings } from './settings.ts';

describe('SiteSettings', () => {
  it('fills every default from an empty document', () => {
    const settings = SiteSettings.parse({});
    expect(settings.enrollment.methods).toEqual(['password', 'otp', 'pin']);
    expect(settings.pin).toMatchObject({
      minimumLength: 4,
      temporaryFor: 'none',
      validityHours: 720,
    });
    expect(settings.lockout.accountLockAfter).toBe(100);
  });

  it("refuses a lockout above NIST SP 800-63B's 100 failures and an empty method list", () => {
    expect(() => SiteSettings.parse({ lockout: { accountLockAfter: 101 } })).toThrow();
    expect(() => SiteSettings.parse({ enrollment: { methods: [] } })).toThrow();
  });
});
