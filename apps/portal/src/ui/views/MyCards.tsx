import { PageHeader, Table } from '../components.tsx';
import { usePortal } from '../context.ts';

/** My cards, masked as the API gives them, with when and where each was enrolled. */
export function MyCards() {
  const { t, me, formatDate } = usePortal();
  const columns = [t('cards.card'), t('cards.enrolled'), t('cards.where')];
  return (
    <>
      <PageHeader title={t('cards.title')} intro={t('cards.intro')} />
      {me.cards.length === 0 ? (
        <p class="empty">{t('cards.none')}</p>
      ) : (
        <Table columns={columns} caption={t('cards.title')}>
          {me.cards.map((card) => (
            <tr key={`${card.cardId}-${card.createdAt}`}>
              <td data-label={columns[0]}>
                <code>{card.cardId}</code>
              </td>
              <td data-label={columns[1]}>{formatDate(card.createdAt)}</td>
              <td data-label={columns[2]}>{card.terminal ?? t('cards.notAtPanel')}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
