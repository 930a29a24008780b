import { useState } from 'preact/hooks';
import { API_PREFIX, queryString, segment } from '../api.ts';
import type { CardListResponse } from '../api-types.ts';
import {
  ConfirmButton,
  Link,
  Loaded,
  PageHeader,
  Pager,
  Table,
  TextField,
  useAction,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { sourceLabel } from './UserDetail.tsx';

export const CARDS_PAGE_SIZE = 50;

/** Every enrolled card, newest first, with search and paging. */
export function AdminCards(props: { search?: string; page: number }) {
  const { t, api, can, navigate, formatDate } = usePortal();
  const [search, setSearch] = useState(props.search ?? '');
  const cards = useResource(
    () =>
      api.get<CardListResponse>(
        `/cards${queryString({
          search: props.search,
          limit: CARDS_PAGE_SIZE,
          offset: (props.page - 1) * CARDS_PAGE_SIZE,
        })}`,
      ),
    [props.search, props.page],
  );
  const action = useAction();
  const manage = can('ManageCards');
  const linkUsers = can('ManageUsers');
  const remove = async (cardId: string) => {
    const done = await action.succeeds(
      () => api.delete(`/cards/${segment(cardId)}`),
      'adminCards.removed',
    );
    if (done) cards.reload();
  };
  const columns = [
    t('adminCards.card'),
    t('adminCards.user'),
    t('adminCards.enrolled'),
    t('adminCards.terminal'),
    t('adminCards.source'),
    t('adminCards.expires'),
    ...(manage ? [t('common.actions')] : []),
  ];
  return (
    <>
      <PageHeader title={t('adminCards.title')}>
        {/* A plain download: the session cookie goes along, and a GET needs no CSRF token. */}
        <a
          class="button secondary"
          href={`${API_PREFIX}/cards/export.csv${queryString({ search: props.search })}`}
          download="cardbind-cards.csv"
        >
          {t('adminCards.export')}
        </a>
        {manage && (
          <Link route={{ name: 'cardImport' }} class="button secondary">
            {t('adminCards.import')}
          </Link>
        )}
      </PageHeader>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          navigate({ name: 'cards', search: search.trim() || undefined, page: 1 });
        }}
      >
        <TextField
          label={t('common.search')}
          type="search"
          value={search}
          onValue={setSearch}
          placeholder={t('adminCards.searchPlaceholder')}
        />
        <div class="filter-actions">
          <button type="submit" class="primary">
            {t('common.search')}
          </button>
        </div>
      </form>
      {action.message}
      <Loaded resource={cards}>
        {({ cards: rows, total }) => (
          <>
            {rows.length === 0 ? (
              <p class="empty">{t('adminCards.none')}</p>
            ) : (
              <Table columns={columns} caption={t('adminCards.title')}>
                {rows.map((card) => (
                  <tr key={card.cardId}>
                    <td data-label={columns[0]}>
                      <code>{card.cardId}</code>
                    </td>
                    <td data-label={columns[1]}>
                      <span>
                        {linkUsers ? (
                          <Link route={{ name: 'user', username: card.username }}>
                            {card.username}
                          </Link>
                        ) : (
                          card.username
                        )}{' '}
                        <span class="hint">{card.fullName}</span>
                      </span>
                    </td>
                    <td data-label={columns[2]}>{formatDate(card.createdAt)}</td>
                    <td data-label={columns[3]}>{card.terminal ?? t('common.none')}</td>
                    <td data-label={columns[4]}>{sourceLabel(t, card.source)}</td>
                    <td data-label={columns[5]}>
                      {card.expiresAt ? formatDate(card.expiresAt) : t('common.never')}
                    </td>
                    {manage && (
                      <td data-label={columns[6]}>
                        <ConfirmButton
                          label={t('common.remove')}
                          question={t('common.reallyRemove')}
                          disabled={action.busy}
                          onConfirm={() => void remove(card.cardId)}
                        />
                      </td>
                    )}
                  </tr>
                ))}
              </Table>
            )}
            <Pager
              page={props.page}
              pageSize={CARDS_PAGE_SIZE}
              shown={rows.length}
              total={total}
              onPage={(page) => navigate({ name: 'cards', search: props.search, page })}
            />
          </>
        )}
      </Loaded>
    </>
  );
}
