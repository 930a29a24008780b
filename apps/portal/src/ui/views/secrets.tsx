import { useState } from 'preact/hooks';
import type { GeneratedOtp, GeneratedPin } from '../api-types.ts';
import { SecretBox, useAction } from '../components.tsx';
import { usePortal } from '../context.ts';

export type Generated = { kind: 'otp'; value: GeneratedOtp } | { kind: 'pin'; value: GeneratedPin };

/**
 * Buttons that ask the server for a new OTP or PIN and show the answer once. The secret lives
 * only in this component's state: "Done" or leaving the page forgets it.
 */
export function GenerateSecrets(props: {
  otp?: { label: string; request: () => Promise<GeneratedOtp> };
  pin?: { label: string; request: () => Promise<GeneratedPin> };
  forUser?: string;
  onGenerated?: () => void;
}) {
  const { t, formatDate } = usePortal();
  const [generated, setGenerated] = useState<Generated | null>(null);
  const action = useAction();

  const generate = async (request: () => Promise<Generated>) => {
    setGenerated(null);
    const result = await action.run(request);
    if (result) {
      setGenerated(result);
      props.onGenerated?.();
    }
  };
  const { otp, pin } = props;

  const details = (secret: Generated): string[] => {
    const lines = props.forUser ? [t('secret.forUser', { username: props.forUser })] : [];
    if (secret.kind === 'otp') {
      lines.push(t('secret.validUntil', { date: formatDate(secret.value.expiresAt) }));
    } else if (secret.value.expiresAt) {
      lines.push(t('secret.temporaryPin', { date: formatDate(secret.value.expiresAt) }));
    } else {
      lines.push(t('secret.noExpiry'));
    }
    return lines;
  };

  return (
    <div class="generate">
      {generated ? (
        <SecretBox
          title={generated.kind === 'otp' ? t('secret.otpTitle') : t('secret.pinTitle')}
          secret={generated.kind === 'otp' ? generated.value.otp : generated.value.pin}
          details={details(generated)}
          onDone={() => setGenerated(null)}
        />
      ) : (
        <div class="actions">
          {otp && (
            <button
              type="button"
              class="primary"
              disabled={action.busy}
              onClick={() =>
                void generate(async () => ({ kind: 'otp', value: await otp.request() }))
              }
            >
              {otp.label}
            </button>
          )}
          {pin && (
            <button
              type="button"
              class="secondary"
              disabled={action.busy}
              onClick={() =>
                void generate(async () => ({ kind: 'pin', value: await pin.request() }))
              }
            >
              {pin.label}
            </button>
          )}
        </div>
      )}
      {action.message}
    </div>
  );
}
