import type { KioskErrorCode } from '../errors.ts';

/**
 * Every text the kiosk shows. Components take their words from here only, so a translation is
 * one more object of this type.
 */
export interface KioskStrings {
  documentTitle: string;
  idle: { title: string; hint: string };
  lookingUp: string;
  welcome: { title: (fullName: string) => string; hint: string; logout: string };
  offer: { title: string; hint: string; enroll: string; cancel: string };
  form: {
    title: string;
    hint: string;
    username: string;
    password: string;
    submit: string;
    cancel: string;
    attemptsLeft: (count: number) => string;
  };
  enrolling: string;
  error: {
    lookupTitle: string;
    enrollTitle: string;
    retry: string;
    cancel: string;
    waitSeconds: (seconds: number) => string;
    byCode: Record<KioskErrorCode, string>;
  };
  readerOffline: string;
}

export const en: KioskStrings = {
  documentTitle: 'Cardbind Kiosk',
  idle: {
    title: 'Swipe your card',
    hint: 'Hold your badge to the reader to sign in or to link it to your account.',
  },
  lookingUp: 'Checking your card…',
  welcome: {
    title: (fullName) => `Welcome, ${fullName}`,
    hint: 'You are signed in. Log out when you are done.',
    logout: 'Log out',
  },
  offer: {
    title: 'Enroll this card?',
    hint: 'This card is not linked to an account yet. Link it to yours with your username and password.',
    enroll: 'Enrollment',
    cancel: 'Cancel',
  },
  form: {
    title: 'Link this card to your account',
    hint: 'Sign in once; after that, your card is enough.',
    username: 'Username',
    password: 'Password',
    submit: 'Register card',
    cancel: 'Cancel',
    attemptsLeft: (count) =>
      count === 1 ? 'One more attempt before you must wait.' : `${count} attempts left.`,
  },
  enrolling: 'Registering your card…',
  error: {
    lookupTitle: 'Your card could not be checked',
    enrollTitle: 'Your card could not be registered',
    retry: 'Retry',
    cancel: 'Cancel',
    waitSeconds: (seconds) => `Please wait ${seconds} seconds before you try again.`,
    byCode: {
      invalid_credentials: 'Wrong username or password. Please try again.',
      credential_expired: 'That code has expired. Ask for a new one and try again.',
      card_already_bound:
        'This card already belongs to another account. Use another card or ask an administrator.',
      enrollment_expired: 'This enrollment took too long. Swipe your card again to start over.',
      method_not_allowed: 'This kind of sign-in is not allowed here. Ask an administrator.',
      too_many_attempts: 'Too many attempts.',
      unauthorized:
        'This kiosk is not authorized by the Cardbind server. An administrator must check its terminal token.',
      forbidden: 'This kiosk may not do that. Ask an administrator.',
      not_found:
        'The Cardbind server does not know this request. An administrator should check the kiosk setup.',
      invalid_request: 'The server did not accept what was entered. Check it and try again.',
      payload_too_large: 'What was entered is too long. Check it and try again.',
      internal_error: 'Something went wrong on the server. Try again in a moment.',
      server_unreachable:
        'The kiosk cannot reach the Cardbind server. Try again in a moment; if it keeps failing, tell an administrator.',
      network: 'The kiosk is not responding. Try again in a moment.',
    },
  },
  readerOffline: 'Card reader offline',
};
