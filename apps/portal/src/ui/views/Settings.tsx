import { useState } from 'preact/hooks';
import type { Group, PinPolicy, SecretMethod, SettingsAdvice, SiteSettings } from '../api-types.ts';
import {
  Checkbox,
  Loaded,
  Notice,
  NumberField,
  PageHeader,
  Section,
  SelectField,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { hasMessage, LANGUAGE_NAMES, LANGUAGES, type MessageKey } from '../i18n/i18n.ts';

const METHODS: Array<{ method: SecretMethod; label: MessageKey }> = [
  { method: 'password', label: 'settings.methodPassword' },
  { method: 'otp', label: 'settings.methodOtp' },
  { method: 'pin', label: 'settings.methodPin' },
];

/**
 * Site settings: PINs (with the PIN-length warning), enrollment, panel login, OTPs, e-mail,
 * lockout.
 */
export function Settings() {
  const { t, api } = usePortal();
  const settings = useResource(() => api.get<SiteSettings>('/settings'), []);
  const policy = useResource(() => api.get<PinPolicy>('/pin-policy'), []);
  const advice = useResource(() => api.get<{ advice: SettingsAdvice[] }>('/settings/advice'), []);
  const saved = () => {
    policy.reload();
    advice.reload();
  };
  return (
    <>
      <PageHeader title={t('settings.title')} />
      {policy.data && <PolicyStatus policy={policy.data} />}
      {advice.data?.advice.map((a) => (
        <Notice key={`${a.code}:${JSON.stringify(a.params)}`} kind="warning">
          {hasMessage(`settings.advice.${a.code}`)
            ? t(`settings.advice.${a.code}`, a.params)
            : a.message}
        </Notice>
      ))}
      <Loaded resource={settings}>
        {(data) => <SettingsForm initial={data} onSaved={saved} />}
      </Loaded>
    </>
  );
}

function PolicyStatus({ policy }: { policy: PinPolicy }) {
  const { t } = usePortal();
  const values = { users: policy.users, length: policy.minimumLength, count: policy.pinsTooShort };
  return policy.pinsTooShort > 0 ? (
    <Notice kind="warning">{t('settings.pinWarning', values)}</Notice>
  ) : (
    <Notice kind="info">{t('settings.pinPolicy', values)}</Notice>
  );
}

function MethodChoices(props: {
  legend: string;
  value: SecretMethod[];
  onValue: (value: SecretMethod[]) => void;
}) {
  const { t } = usePortal();
  return (
    <fieldset class="choices">
      <legend>{props.legend}</legend>
      {METHODS.map(({ method, label }) => (
        <Checkbox
          key={method}
          label={t(label)}
          checked={props.value.includes(method)}
          onChange={(on) =>
            props.onValue(
              METHODS.map((m) => m.method).filter((m) =>
                m === method ? on : props.value.includes(m),
              ),
            )
          }
        />
      ))}
    </fieldset>
  );
}

function SettingsForm(props: { initial: SiteSettings; onSaved: () => void }) {
  const { t, api } = usePortal();
  const [s, setS] = useState(props.initial);
  const groups = useResource(() => api.get<{ groups: Group[] }>('/groups'), []);
  const action = useAction();
  const update = <K extends keyof SiteSettings>(section: K, changes: Partial<SiteSettings[K]>) =>
    setS((current) => ({ ...current, [section]: { ...current[section], ...changes } }));

  const save = async (event: Event) => {
    event.preventDefault();
    if (s.enrollment.methods.length === 0) {
      return action.fail('settings.atLeastOneMethod');
    }
    const saved = await action.run(() => api.put<SiteSettings>('/settings', s), 'settings.saved');
    if (saved) {
      setS(saved);
      props.onSaved();
    }
  };

  const groupNames = [
    ...new Set([...(groups.data?.groups ?? []).map((g) => g.name), ...s.pin.temporaryGroups]),
  ];

  return (
    <form class="form settings" onSubmit={(e) => void save(e)}>
      <Section title={t('settings.pinTitle')}>
        <NumberField
          label={t('settings.pinMinimumLength')}
          hint={t('settings.pinMinimumLengthHint')}
          value={s.pin.minimumLength}
          min={4}
          max={16}
          onValue={(minimumLength) => update('pin', { minimumLength })}
        />
        <fieldset class="choices">
          <legend>{t('settings.pinTemporaryFor')}</legend>
          {(
            [
              ['none', 'settings.pinTemporaryNone'],
              ['all', 'settings.pinTemporaryAll'],
              ['groups', 'settings.pinTemporaryGroups'],
            ] as const
          ).map(([value, label]) => (
            <div class="check" key={value}>
              <input
                type="radio"
                id={`temporary-${value}`}
                name="temporaryFor"
                checked={s.pin.temporaryFor === value}
                onChange={() => update('pin', { temporaryFor: value })}
              />
              <label for={`temporary-${value}`}>{t(label)}</label>
            </div>
          ))}
        </fieldset>
        {s.pin.temporaryFor === 'groups' && (
          <fieldset class="choices nested">
            <legend>{t('settings.pinTemporaryGroupsLabel')}</legend>
            {groupNames.map((name) => (
              <Checkbox
                key={name}
                label={name}
                checked={s.pin.temporaryGroups.includes(name)}
                onChange={(on) =>
                  update('pin', {
                    temporaryGroups: on
                      ? [...s.pin.temporaryGroups, name]
                      : s.pin.temporaryGroups.filter((g) => g !== name),
                  })
                }
              />
            ))}
          </fieldset>
        )}
        {s.pin.temporaryFor !== 'none' && (
          <NumberField
            label={t('settings.pinValidity')}
            value={s.pin.validityHours}
            min={1}
            max={87_600}
            onValue={(validityHours) => update('pin', { validityHours })}
          />
        )}
        <Checkbox
          label={t('settings.pinUserCanChange')}
          checked={s.pin.userCanChange}
          onChange={(userCanChange) => update('pin', { userCanChange })}
        />
        <Checkbox
          label={t('settings.pinSendByEmail')}
          checked={s.pin.sendByEmail}
          onChange={(sendByEmail) => update('pin', { sendByEmail })}
        />
        <Checkbox
          label={t('settings.pinGenerateForNewUsers')}
          checked={s.pin.generateForNewUsers}
          onChange={(generateForNewUsers) => update('pin', { generateForNewUsers })}
        />
      </Section>

      <Section title={t('settings.enrollmentTitle')}>
        <MethodChoices
          legend={t('settings.enrollmentMethods')}
          value={s.enrollment.methods}
          onValue={(methods) => update('enrollment', { methods })}
        />
        <Checkbox
          label={t('settings.multipleCards')}
          hint={t('settings.multipleCardsHint')}
          checked={s.enrollment.multipleCards}
          onChange={(multipleCards) => update('enrollment', { multipleCards })}
        />
        <Checkbox
          label={t('settings.temporaryCards')}
          checked={s.enrollment.temporaryCards}
          onChange={(temporaryCards) => update('enrollment', { temporaryCards })}
        />
        {s.enrollment.temporaryCards && (
          <NumberField
            label={t('settings.temporaryCardValidity')}
            value={s.enrollment.temporaryCardValidityHours}
            min={1}
            max={87_600}
            onValue={(temporaryCardValidityHours) =>
              update('enrollment', { temporaryCardValidityHours })
            }
          />
        )}
        <Checkbox
          label={t('settings.notifyByEmail')}
          checked={s.enrollment.notifyByEmail}
          onChange={(notifyByEmail) => update('enrollment', { notifyByEmail })}
        />
      </Section>

      <Section title={t('settings.terminalLoginTitle')}>
        <MethodChoices
          legend={t('settings.terminalLoginMethods')}
          value={s.terminalLogin.methods}
          onValue={(methods) => update('terminalLogin', { methods })}
        />
      </Section>

      <Section title={t('settings.otpTitle')}>
        <NumberField
          label={t('settings.otpValidity')}
          value={s.otp.validityHours}
          min={1}
          max={720}
          onValue={(validityHours) => update('otp', { validityHours })}
        />
        <Checkbox
          label={t('settings.otpSendByEmail')}
          checked={s.otp.sendByEmail}
          onChange={(sendByEmail) => update('otp', { sendByEmail })}
        />
      </Section>

      <Section title={t('settings.emailTitle')}>
        <SelectField
          label={t('settings.emailDefaultLanguage')}
          value={s.email.defaultLanguage}
          onValue={(defaultLanguage) => update('email', { defaultLanguage })}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
      </Section>

      <Section title={t('settings.lockoutTitle')}>
        <NumberField
          label={t('settings.accountDelayAfter')}
          value={s.lockout.accountDelayAfter}
          min={1}
          max={100}
          onValue={(accountDelayAfter) => update('lockout', { accountDelayAfter })}
        />
        <NumberField
          label={t('settings.accountLockAfter')}
          value={s.lockout.accountLockAfter}
          min={1}
          max={100}
          onValue={(accountLockAfter) => update('lockout', { accountLockAfter })}
        />
        <NumberField
          label={t('settings.terminalDelayAfter')}
          value={s.lockout.terminalDelayAfter}
          min={1}
          max={1000}
          onValue={(terminalDelayAfter) => update('lockout', { terminalDelayAfter })}
        />
        <NumberField
          label={t('settings.maxDelaySeconds')}
          value={s.lockout.maxDelaySeconds}
          min={1}
          max={86_400}
          onValue={(maxDelaySeconds) => update('lockout', { maxDelaySeconds })}
        />
        <NumberField
          label={t('settings.forgetAfterMinutes')}
          value={s.lockout.forgetAfterMinutes}
          min={1}
          max={10_080}
          onValue={(forgetAfterMinutes) => update('lockout', { forgetAfterMinutes })}
        />
      </Section>

      <div class="form-footer">
        {action.message}
        <button type="submit" class="primary" disabled={action.busy}>
          {action.busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
