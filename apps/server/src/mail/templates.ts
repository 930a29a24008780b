/**
 * E-mail texts per language. Each template receives already-formatted values; secrets appear
 * only in the body of the message to their owner, never in subjects (which show in previews
 * and server logs).
 */
export const MAIL_LANGUAGES = ['en', 'de', 'cs', 'fr', 'es'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export interface MailText {
  subject: string;
  text: string;
}

interface Catalog {
  greeting(name: string): string;
  newPinSubject: string;
  newPin(pin: string): string;
  validUntil(date: string): string;
  noExpiry: string;
  pinUse: string;
  newOtpSubject: string;
  newOtp(otp: string, date: string): string;
  cardEnrolledSubject: string;
  cardEnrolled(card: string, terminal: string, date: string): string;
  signature: string;
}

const CATALOGS: Record<MailLanguage, Catalog> = {
  en: {
    greeting: (name) => `Hello ${name},`,
    newPinSubject: 'Your new PIN',
    newPin: (pin) => `your new PIN is: ${pin}`,
    validUntil: (date) =>
      `It is valid until ${date}. After that, generate a new one in My profile or from the login screen.`,
    noExpiry: 'It does not expire.',
    pinUse: 'Use it to log in at the printers. Keep it to yourself.',
    newOtpSubject: 'Your one-time password',
    newOtp: (otp, date) =>
      `your one-time password is: ${otp}\n\nIt works once, until ${date}. Enter it with your username at a printer to register your card.`,
    cardEnrolledSubject: 'A card was registered to your account',
    cardEnrolled: (card, terminal, date) =>
      `a card ending in ${card} was registered to your account at "${terminal}" on ${date}.\n\nIf this was not you, tell your administrator right away.`,
    signature: '— Cardbind',
  },
  de: {
    greeting: (name) => `Hallo ${name},`,
    newPinSubject: 'Ihre neue PIN',
    newPin: (pin) => `Ihre neue PIN lautet: ${pin}`,
    validUntil: (date) =>
      `Sie ist gültig bis ${date}. Danach erzeugen Sie eine neue unter „Mein Profil“ oder auf der Anmeldeseite.`,
    noExpiry: 'Sie läuft nicht ab.',
    pinUse: 'Damit melden Sie sich an den Druckern an. Geben Sie sie nicht weiter.',
    newOtpSubject: 'Ihr Einmalpasswort',
    newOtp: (otp, date) =>
      `Ihr Einmalpasswort lautet: ${otp}\n\nEs gilt einmal, bis ${date}. Geben Sie es mit Ihrem Benutzernamen an einem Drucker ein, um Ihre Karte zu registrieren.`,
    cardEnrolledSubject: 'Eine Karte wurde Ihrem Konto zugeordnet',
    cardEnrolled: (card, terminal, date) =>
      `eine Karte mit der Endung ${card} wurde am ${date} an „${terminal}“ Ihrem Konto zugeordnet.\n\nWaren Sie das nicht, wenden Sie sich sofort an Ihre Administration.`,
    signature: '— Cardbind',
  },
  cs: {
    greeting: (name) => `Dobrý den, ${name},`,
    newPinSubject: 'Váš nový PIN',
    newPin: (pin) => `váš nový PIN je: ${pin}`,
    validUntil: (date) =>
      `Platí do ${date}. Potom si vytvořte nový v části Můj profil nebo na přihlašovací obrazovce.`,
    noExpiry: 'Jeho platnost nevyprší.',
    pinUse: 'Slouží k přihlášení u tiskáren. Nikomu ho nesdělujte.',
    newOtpSubject: 'Vaše jednorázové heslo',
    newOtp: (otp, date) =>
      `vaše jednorázové heslo je: ${otp}\n\nLze ho použít jednou, do ${date}. Zadejte ho spolu s uživatelským jménem u tiskárny a zaregistrujte si kartu.`,
    cardEnrolledSubject: 'K vašemu účtu byla přiřazena karta',
    cardEnrolled: (card, terminal, date) =>
      `karta končící ${card} byla ${date} na zařízení „${terminal}“ přiřazena k vašemu účtu.\n\nPokud jste to nebyli vy, ihned kontaktujte správce.`,
    signature: '— Cardbind',
  },
  fr: {
    greeting: (name) => `Bonjour ${name},`,
    newPinSubject: 'Votre nouveau code PIN',
    newPin: (pin) => `votre nouveau code PIN est : ${pin}`,
    validUntil: (date) =>
      `Il est valable jusqu’au ${date}. Ensuite, générez-en un nouveau dans Mon profil ou depuis l’écran de connexion.`,
    noExpiry: 'Il n’expire pas.',
    pinUse: 'Il vous permet de vous connecter aux imprimantes. Gardez-le pour vous.',
    newOtpSubject: 'Votre mot de passe à usage unique',
    newOtp: (otp, date) =>
      `votre mot de passe à usage unique est : ${otp}\n\nIl fonctionne une seule fois, jusqu’au ${date}. Saisissez-le avec votre identifiant sur une imprimante pour enregistrer votre badge.`,
    cardEnrolledSubject: 'Un badge a été associé à votre compte',
    cardEnrolled: (card, terminal, date) =>
      `un badge se terminant par ${card} a été associé à votre compte sur « ${terminal} » le ${date}.\n\nSi ce n’était pas vous, prévenez immédiatement votre administrateur.`,
    signature: '— Cardbind',
  },
  es: {
    greeting: (name) => `Hola, ${name}:`,
    newPinSubject: 'Su nuevo PIN',
    newPin: (pin) => `su nuevo PIN es: ${pin}`,
    validUntil: (date) =>
      `Es válido hasta el ${date}. Después, genere uno nuevo en Mi perfil o desde la pantalla de inicio de sesión.`,
    noExpiry: 'No caduca.',
    pinUse: 'Úselo para iniciar sesión en las impresoras. No lo comparta.',
    newOtpSubject: 'Su contraseña de un solo uso',
    newOtp: (otp, date) =>
      `su contraseña de un solo uso es: ${otp}\n\nFunciona una vez, hasta el ${date}. Introdúzcala con su nombre de usuario en una impresora para registrar su tarjeta.`,
    cardEnrolledSubject: 'Se ha registrado una tarjeta en su cuenta',
    cardEnrolled: (card, terminal, date) =>
      `se ha registrado una tarjeta terminada en ${card} en su cuenta en «${terminal}» el ${date}.\n\nSi no fue usted, avise de inmediato a su administrador.`,
    signature: '— Cardbind',
  },
};

export function mailLanguage(language: string): MailLanguage {
  const primary = language.toLowerCase().split(/[-_]/)[0];
  return (MAIL_LANGUAGES as readonly string[]).includes(primary ?? '')
    ? (primary as MailLanguage)
    : 'en';
}

export interface TemplateContext {
  language: string;
  name: string;
  /** IANA time zone for dates in the message. */
  timeZone: string;
}

function formatDate(iso: string, context: TemplateContext): string {
  // Explicit fields: Intl refuses timeZoneName together with dateStyle/timeStyle.
  return new Intl.DateTimeFormat(mailLanguage(context.language), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    // 24-hour times read the same in every language of the catalog.
    hourCycle: 'h23',
    timeZone: context.timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

function compose(
  catalog: Catalog,
  context: TemplateContext,
  subject: string,
  ...paragraphs: string[]
): MailText {
  return {
    subject,
    text: [catalog.greeting(context.name), ...paragraphs, catalog.signature].join('\n\n') + '\n',
  };
}

export function newPinMail(
  context: TemplateContext,
  pin: string,
  expiresAt: string | null,
): MailText {
  const c = CATALOGS[mailLanguage(context.language)];
  const validity = expiresAt ? c.validUntil(formatDate(expiresAt, context)) : c.noExpiry;
  return compose(c, context, c.newPinSubject, c.newPin(pin), validity, c.pinUse);
}

export function newOtpMail(context: TemplateContext, otp: string, expiresAt: string): MailText {
  const c = CATALOGS[mailLanguage(context.language)];
  return compose(c, context, c.newOtpSubject, c.newOtp(otp, formatDate(expiresAt, context)));
}

export function cardEnrolledMail(
  context: TemplateContext,
  cardEnding: string,
  terminal: string,
  at: string,
): MailText {
  const c = CATALOGS[mailLanguage(context.language)];
  return compose(
    c,
    context,
    c.cardEnrolledSubject,
    c.cardEnrolled(cardEnding, terminal, formatDate(at, context)),
  );
}
