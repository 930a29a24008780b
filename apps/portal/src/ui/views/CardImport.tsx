import { useId, useState } from 'preact/hooks';
import type { CardImportReport, ImportedCard, ImportLineError } from '../api-types.ts';
import { Checkbox, Link, Notice, PageHeader, Section, Table, useAction } from '../components.tsx';
import { usePortal } from '../context.ts';
import { hasMessage } from '../i18n/i18n.ts';

/**
 * CSV import of card assignments in two steps: a dry run reports what would be added, what would
 * change (old and new), what is unchanged and every line with an error (by line number); only
 * then can the admin import. Moving a card that belongs to someone else needs the "move" box
 * ticked before the dry run (the API's `reassign=true`); otherwise those lines are errors.
 */
export function CardImport() {
  const { t, api, formatDate } = usePortal();
  const fileId = useId();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [reassign, setReassign] = useState(false);
  const [plan, setPlan] = useState<CardImportReport | null>(null);
  const [result, setResult] = useState<CardImportReport | null>(null);
  const action = useAction();

  const choose = async (input: HTMLInputElement) => {
    setPlan(null);
    setResult(null);
    action.clear();
    const chosen = input.files?.[0];
    setFile(chosen ? { name: chosen.name, text: await chosen.text() } : null);
  };
  const moves = reassign ? '&reassign=true' : '';
  const check = async (event: Event) => {
    event.preventDefault();
    if (!file) return action.fail('cardImport.noFile');
    setPlan(null);
    const report = await action.run(() =>
      api.postCsv<CardImportReport>(`/cards/import?dryRun=true${moves}`, file.text),
    );
    if (report) setPlan(report);
  };
  const apply = async () => {
    if (!file || !plan) return;
    const skip = plan.errors.length > 0 ? '&skipErrors=true' : '';
    const report = await action.run(() =>
      api.postCsv<CardImportReport>(`/cards/import?dryRun=false${skip}${moves}`, file.text),
    );
    if (report) {
      setResult(report);
      setPlan(null);
    }
  };
  const chooseReassign = (checked: boolean) => {
    // The plan shown must be the one the import would carry out.
    setReassign(checked);
    setPlan(null);
  };
  const startOver = () => {
    setFile(null);
    setReassign(false);
    setPlan(null);
    setResult(null);
    action.clear();
  };

  if (result) {
    return (
      <>
        <PageHeader title={t('cardImport.title')} />
        <Notice kind="success">
          {t('cardImport.applied', { count: result.add.length })}
          {result.change.length > 0 &&
            ` ${t('cardImport.changed', { count: result.change.length })}`}
        </Notice>
        {result.errors.length > 0 && <ErrorLines errors={result.errors} />}
        <div class="actions">
          <Link route={{ name: 'cards', page: 1 }} class="button primary">
            {t('nav.enrolledCards')}
          </Link>
          <button type="button" class="secondary" onClick={startOver}>
            {t('cardImport.another')}
          </button>
        </div>
      </>
    );
  }

  const columns = [
    t('cardImport.line'),
    t('adminCards.card'),
    t('adminCards.user'),
    t('adminCards.expires'),
  ];
  const expiry = (value: string | null) => (value ? formatDate(value) : t('common.never'));
  const writes = plan ? plan.add.length + plan.change.length : 0;
  return (
    <>
      <PageHeader title={t('cardImport.title')} intro={t('cardImport.intro')} />
      <form class="panel" onSubmit={(e) => void check(e)}>
        <div class="field">
          <label for={fileId}>{t('cardImport.file')}</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void choose(e.currentTarget)}
          />
        </div>
        <Checkbox
          label={t('cardImport.reassign')}
          hint={t('cardImport.reassignHint')}
          checked={reassign}
          onChange={chooseReassign}
        />
        <button type="submit" class="primary" disabled={action.busy}>
          {t('cardImport.check')}
        </button>
      </form>
      {action.message}
      {plan && (
        <div data-testid="import-plan">
          <Notice kind={plan.errors.length > 0 ? 'warning' : 'info'}>
            {t('cardImport.summary', {
              rows: plan.rows,
              add: plan.add.length,
              change: plan.change.length,
              unchanged: plan.unchanged,
              errors: plan.errors.length,
            })}
          </Notice>
          {plan.errors.length > 0 && <ErrorLines errors={plan.errors} />}
          {plan.add.length > 0 && (
            <Section title={t('cardImport.toAdd')}>
              <Table columns={columns} caption={t('cardImport.toAdd')}>
                {plan.add.map((row) => (
                  <tr key={row.line}>
                    <LineAndCard row={row} columns={columns} />
                    <td data-label={columns[2]}>{row.username}</td>
                    <td data-label={columns[3]}>{expiry(row.expiresAt)}</td>
                  </tr>
                ))}
              </Table>
            </Section>
          )}
          {plan.change.length > 0 && (
            <Section title={t('cardImport.toChange')} class="import-changes">
              <Table columns={columns} caption={t('cardImport.toChange')}>
                {plan.change.map((row) => (
                  <tr key={row.line}>
                    <LineAndCard row={row} columns={columns} />
                    <td data-label={columns[2]}>
                      <Changed
                        now={row.username}
                        was={row.was.username}
                        same={row.was.username.toLowerCase() === row.username.toLowerCase()}
                      />
                    </td>
                    <td data-label={columns[3]}>
                      <Changed
                        now={expiry(row.expiresAt)}
                        was={expiry(row.was.expiresAt)}
                        same={sameInstant(row.expiresAt, row.was.expiresAt)}
                      />
                    </td>
                  </tr>
                ))}
              </Table>
            </Section>
          )}
          {writes === 0 ? (
            <p class="empty">{t('cardImport.nothingToAdd')}</p>
          ) : (
            <div class="actions">
              {plan.errors.length > 0 && <p class="hint">{t('cardImport.fixHint')}</p>}
              <button
                type="button"
                class="primary"
                disabled={action.busy}
                onClick={() => void apply()}
              >
                {plan.errors.length > 0
                  ? t('cardImport.applySkipping', {
                      count: writes,
                      errors: plan.errors.length,
                    })
                  : t('cardImport.apply', { count: writes })}
              </button>
            </div>
          )}
        </div>
      )}
    </>
  );
}

/** The first two cells of a row to add or change: its line in the file and its card number. */
function LineAndCard(props: { row: ImportedCard; columns: string[] }) {
  return (
    <>
      <td data-label={props.columns[0]}>{props.row.line}</td>
      <td data-label={props.columns[1]}>
        <code>{props.row.cardId}</code>
      </td>
    </>
  );
}

const sameInstant = (a: string | null, b: string | null) =>
  a === null || b === null ? a === b : Date.parse(a) === Date.parse(b);

/** A value the import changes: the new one, and the old one beside it ("was …"). */
function Changed(props: { now: string; was: string; same: boolean }) {
  const { t } = usePortal();
  if (props.same) return <>{props.now}</>;
  // One element: on phones each cell is a grid of label and value.
  return (
    <span>
      <strong>{props.now}</strong>{' '}
      <span class="hint">{t('cardImport.was', { value: props.was })}</span>
    </span>
  );
}

function ErrorLines(props: { errors: CardImportReport['errors'] }) {
  const { t } = usePortal();
  const columns = [t('cardImport.line'), t('cardImport.problem')];
  const problemOf = (error: ImportLineError) => {
    const key = `cardImport.error.${error.code}`;
    return hasMessage(key) ? t(key, error.params) : error.message;
  };
  return (
    <Section title={t('cardImport.errors')} class="import-errors">
      <Table columns={columns} caption={t('cardImport.errors')}>
        {props.errors.map((error) => (
          <tr key={`${error.line}:${error.message}`}>
            <td data-label={columns[0]}>{error.line}</td>
            <td data-label={columns[1]}>{problemOf(error)}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}
