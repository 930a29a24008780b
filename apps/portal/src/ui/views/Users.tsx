import { useState } from 'preact/hooks';
import { queryString } from '../api.ts';
import type { Group, UserSummary } from '../api-types.ts';
import {
  Link,
  Loaded,
  PageHeader,
  Pager,
  SelectField,
  Table,
  TextField,
  useResource,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { UserListQuery } from '../router.ts';

export const USERS_PAGE_SIZE = 25;

/** Finding users: search, filter by group and source, page through. */
export function Users(props: { query: UserListQuery }) {
  const { t, api, navigate } = usePortal();
  const { query } = props;
  const [search, setSearch] = useState(query.search ?? '');
  const [group, setGroup] = useState(query.group ?? '');
  const [source, setSource] = useState(query.source ?? '');
  const groups = useResource(() => api.get<{ groups: Group[] }>('/groups'), []);
  const users = useResource(
    () =>
      api.get<{ users: UserSummary[]; total: number }>(
        `/users${queryString({
          search: query.search,
          group: query.group,
          source: query.source,
          limit: USERS_PAGE_SIZE,
          offset: (query.page - 1) * USERS_PAGE_SIZE,
        })}`,
      ),
    [query.search, query.group, query.source, query.page],
  );
  const apply = (event: Event) => {
    event.preventDefault();
    navigate({
      name: 'users',
      query: {
        search: search.trim() || undefined,
        group: group || undefined,
        source: source.trim() || undefined,
        page: 1,
      },
    });
  };
  const columns = [
    t('users.username'),
    t('users.fullName'),
    t('users.email'),
    t('users.source'),
    t('users.status'),
  ];
  return (
    <>
      <PageHeader title={t('users.title')}>
        <Link route={{ name: 'newUser' }} class="button primary">
          {t('users.new')}
        </Link>
      </PageHeader>
      <form class="filters" role="search" onSubmit={apply}>
        <TextField
          label={t('users.search')}
          type="search"
          value={search}
          onValue={setSearch}
          placeholder={t('users.searchPlaceholder')}
        />
        <SelectField
          label={t('users.group')}
          value={group}
          onValue={setGroup}
          options={[
            { value: '', label: t('common.any') },
            ...(groups.data?.groups ?? []).map((g) => ({ value: g.name, label: g.name })),
          ]}
        />
        <TextField
          label={t('users.source')}
          value={source}
          onValue={setSource}
          placeholder={t('users.sourcePlaceholder')}
          list="user-sources"
        />
        <datalist id="user-sources">
          <option value="local" />
        </datalist>
        <div class="filter-actions">
          <button type="submit" class="primary">
            {t('users.filter')}
          </button>
        </div>
      </form>
      <Loaded resource={users}>
        {({ users: rows, total }) => (
          <>
            {rows.length === 0 ? (
              <p class="empty">{t('users.none')}</p>
            ) : (
              <Table columns={columns} caption={t('users.title')}>
                {rows.map((user) => (
                  <tr key={user.username} class={user.disabled ? 'disabled' : undefined}>
                    <td data-label={columns[0]}>
                      <Link route={{ name: 'user', username: user.username }}>{user.username}</Link>
                    </td>
                    <td data-label={columns[1]}>{user.fullName}</td>
                    <td data-label={columns[2]}>{user.email ?? t('common.none')}</td>
                    <td data-label={columns[3]}>
                      {user.source === 'local' ? t('users.sourceLocal') : user.source}
                    </td>
                    <td data-label={columns[4]}>
                      {user.disabled ? (
                        <span class="badge badge-off">{t('users.disabled')}</span>
                      ) : (
                        t('users.active')
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            )}
            <Pager
              page={query.page}
              pageSize={USERS_PAGE_SIZE}
              shown={rows.length}
              total={total}
              onPage={(page) => navigate({ name: 'users', query: { ...query, page } })}
            />
          </>
        )}
      </Loaded>
    </>
  );
}
