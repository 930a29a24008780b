import type { Catalog } from './catalog.ts';

export const de: Catalog = {
  languageName: 'Deutsch',
  documentTitle: 'Cardbind-Kiosk',
  readerOffline: 'Kartenleser nicht verbunden',
  idle: {
    title: 'Karte auflegen',
    hint: 'Halten Sie Ihren Ausweis an den Leser, um sich anzumelden oder ihn mit Ihrem Konto zu verknüpfen.',
    loginWithoutCard: 'Ohne Karte anmelden',
    language: 'Sprache',
  },
  lookingUp: 'Karte wird geprüft …',
  welcome: {
    title: 'Willkommen, {name}',
    cardHint: 'Sie sind angemeldet. Melden Sie sich ab, wenn Sie fertig sind.',
    enrolledHint: 'Ihre Karte ist registriert. Beim nächsten Mal genügt die Karte.',
    loginHint: 'Sie sind ohne Karte angemeldet. Melden Sie sich ab, wenn Sie fertig sind.',
    logout: 'Abmelden',
  },
  offer: {
    title: 'Diese Karte registrieren?',
    hint: 'Diese Karte ist noch keinem Konto zugeordnet. Melden Sie sich einmal an, um sie mit Ihrem Konto zu verknüpfen.',
    expiredHint:
      'Die Registrierung dieser Karte ist abgelaufen. Melden Sie sich an, um sie erneut zu registrieren.',
    enroll: 'Registrieren',
    cancel: 'Abbrechen',
  },
  methods: { password: 'Passwort', otp: 'Einmalpasswort', pin: 'Kurz-ID' },
  methodHints: {
    password: 'Das Passwort Ihres Kontos',
    otp: 'Ein Code aus dem Portal oder aus einer E-Mail',
    pin: 'Ihre PIN, nur Ziffern',
  },
  pinAloneHint: 'Nur Ihre PIN, ohne Benutzernamen',
  chooseEnroll: {
    title: 'Wie möchten Sie sich anmelden?',
    hint: 'Wählen Sie, was Sie eingeben, um diese Karte zu verknüpfen.',
    cancel: 'Abbrechen',
  },
  chooseLogin: {
    title: 'Ohne Karte anmelden',
    hint: 'Wählen Sie, wie Sie sich anmelden möchten.',
    cancel: 'Abbrechen',
  },
  enrollForm: {
    title: 'Karte mit Ihrem Konto verknüpfen',
    hint: 'Einmal anmelden, danach genügt Ihre Karte.',
    submit: 'Karte registrieren',
  },
  loginForm: {
    title: 'Anmelden',
    hint: 'Anmeldung ohne Karte.',
    submit: 'Anmelden',
  },
  form: {
    username: 'Benutzername',
    secret: { password: 'Passwort', otp: 'Einmalpasswort', pin: 'Kurz-ID (PIN)' },
    cancel: 'Abbrechen',
    show: 'Anzeigen',
    hide: 'Verbergen',
    changeMethod: 'Andere Methode',
    attemptsLeft: 'Verbleibende Versuche: {count}.',
    reconnected: 'Der Server ist wieder erreichbar. Bitte geben Sie Ihr Geheimnis erneut ein.',
    methodWithdrawn:
      'Der Server ist wieder erreichbar, Ihre Methode wird aber nicht mehr angeboten. Bitte nutzen Sie diese.',
  },
  keyboard: {
    label: 'Bildschirmtastatur',
    shift: 'Umschalt',
    symbols: 'Symbole',
    letters: 'Buchstaben',
    space: 'Leertaste',
    backspace: 'Rücktaste',
    done: 'Fertig',
  },
  enrolling: 'Karte wird registriert …',
  loggingIn: 'Sie werden angemeldet …',
  reconnecting: 'Verbindung zum Server wird hergestellt …',
  lockedOut: {
    title: 'Zu viele Versuche',
    hint: 'Die Anmeldung für dieses Konto ist pausiert. Versuchen Sie es in {wait} erneut.',
    hintNoWait: 'Die Anmeldung für dieses Konto ist pausiert. Versuchen Sie es später erneut.',
    ok: 'OK',
  },
  cardAlreadyBound: {
    title: 'Diese Karte gehört jemand anderem',
    hint: 'Sie ist einem anderen Konto zugeordnet. Verwenden Sie eine andere Karte oder bitten Sie einen Administrator, sie dort zu entfernen.',
    ok: 'OK',
  },
  enrollmentExpired: {
    title: 'Registrierung abgelaufen',
    hint: 'Das hat zu lange gedauert. Legen Sie Ihre Karte erneut auf, um neu zu beginnen.',
    ok: 'OK',
  },
  serverUnreachable: {
    title: 'Server nicht erreichbar',
    hint: 'Der Kiosk versucht es noch eine Weile selbst. Wenn es weiter fehlschlägt, wenden Sie sich an einen Administrator.',
    retryIn: 'Neuer Versuch in {wait}',
    attempt: 'Versuch {attempt} von {attempts}',
    retryNow: 'Jetzt versuchen',
    cancel: 'Abbrechen',
  },
  failed: { title: 'Das hat nicht geklappt', ok: 'OK' },
  errors: {
    invalid_credentials: 'Benutzername oder Geheimnis falsch. Bitte erneut versuchen.',
    credential_expired:
      'Dieser Code wurde bereits verwendet oder ist abgelaufen. Holen Sie sich einen neuen.',
    card_already_bound: 'Diese Karte gehört bereits zu einem anderen Konto.',
    enrollment_expired: 'Die Registrierung hat zu lange gedauert. Legen Sie die Karte erneut auf.',
    method_not_allowed:
      'Diese Art der Anmeldung ist hier nicht erlaubt. Wenden Sie sich an einen Administrator.',
    too_many_attempts: 'Zu viele Versuche.',
    unauthorized:
      'Dieser Kiosk ist beim Cardbind-Server nicht zugelassen. Ein Administrator muss sein Terminal-Token prüfen.',
    forbidden: 'Dieser Kiosk darf das nicht. Wenden Sie sich an einen Administrator.',
    not_found:
      'Der Cardbind-Server kennt diese Anfrage nicht. Ein Administrator sollte die Kiosk-Einrichtung prüfen.',
    invalid_request:
      'Der Server hat die Eingabe nicht angenommen. Bitte prüfen und erneut versuchen.',
    payload_too_large: 'Die Eingabe ist zu lang. Bitte prüfen und erneut versuchen.',
    already_exists: 'Dieser Name ist bereits vergeben. Wählen Sie einen anderen.',
    internal_error:
      'Auf dem Server ist ein Fehler aufgetreten. Versuchen Sie es gleich noch einmal.',
    server_unreachable: 'Der Kiosk erreicht den Cardbind-Server nicht.',
    network: 'Der Kiosk antwortet nicht.',
  },
  units: { seconds: '{count} s', minutes: '{count} min' },
};
