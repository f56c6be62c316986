/**
 * The directory side as tables: users (search, status filter, sortable columns) and groups with
 * their flattened members. Column headers are buttons with `aria-sort`, so sorting works from the
 * keyboard and is announced.
 */
import { useMemo, useState } from 'react';
import type { PlanGroup, PlanUser } from '@dirconn/core';
import { nextSort, userStatus, viewGroups, viewUsers, type GroupSortKey, type Sort, type UserQuery, type UserSortKey } from '../model/directory-view.model.js';
import { plural } from '../model/format.js';

function SortHeader<K extends string>({ label, column, sort, onSort }: { label: string; column: K; sort: Sort<K>; onSort: (s: Sort<K>) => void }) {
  const active = sort.key === column;
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(nextSort(sort, column))}>
        {label}
        <span aria-hidden="true">{active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

const STATUS_WORDS = { enabled: 'Enabled', disabled: 'Disabled', deleted: 'Deleted' } as const;

/** The users table with its search and status filter. */
export function UsersTable({ users, idPrefix }: { users: readonly PlanUser[]; idPrefix: string }) {
  const [query, setQuery] = useState<UserQuery>({ search: '', status: 'all', sort: { key: 'email', direction: 'ascending' } });
  const shown = useMemo(() => viewUsers(users, query), [users, query]);
  const setSort = (sort: Sort<UserSortKey>) => setQuery((q) => ({ ...q, sort }));
  return (
    <div className="table-block">
      <div className="table-tools">
        <div className="field inline">
          <label htmlFor={`${idPrefix}-user-search`}>Search users</label>
          <input id={`${idPrefix}-user-search`} type="search" value={query.search} placeholder="email, name or id" onChange={(e) => setQuery((q) => ({ ...q, search: e.target.value }))} />
        </div>
        <div className="field inline">
          <label htmlFor={`${idPrefix}-user-status`}>Show</label>
          <select id={`${idPrefix}-user-status`} value={query.status} onChange={(e) => setQuery((q) => ({ ...q, status: e.target.value as UserQuery['status'] }))}>
            <option value="all">All users</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
            <option value="deleted">Deleted</option>
          </select>
        </div>
        <p className="table-count" role="status">
          Showing {shown.length} of {plural(users.length, 'user')}
        </p>
      </div>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Users read from the directory</caption>
          <thead>
            <tr>
              <SortHeader label="Email" column="email" sort={query.sort} onSort={setSort} />
              <SortHeader label="Name" column="displayName" sort={query.sort} onSort={setSort} />
              <SortHeader label="Status" column="status" sort={query.sort} onSort={setSort} />
              <SortHeader label="External id" column="externalId" sort={query.sort} onSort={setSort} />
            </tr>
          </thead>
          <tbody>
            {shown.map((u) => (
              <tr key={u.externalId}>
                <td>{u.email}</td>
                <td>{u.displayName}</td>
                <td>
                  <span className={`badge badge-${userStatus(u)}`}>{STATUS_WORDS[userStatus(u)]}</span>
                  {u.deletedReason !== undefined && <span className="muted"> ({u.deletedReason})</span>}
                </td>
                <td>
                  <code>{u.externalId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The groups table: name, member count and the flattened members. */
export function GroupsTable({ groups, users, idPrefix }: { groups: readonly PlanGroup[]; users: readonly PlanUser[]; idPrefix: string }) {
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort<GroupSortKey>>({ key: 'name', direction: 'ascending' });
  const shown = useMemo(() => viewGroups(groups, users, search, sort), [groups, users, search, sort]);
  return (
    <div className="table-block">
      <div className="table-tools">
        <div className="field inline">
          <label htmlFor={`${idPrefix}-group-search`}>Search groups</label>
          <input id={`${idPrefix}-group-search`} type="search" value={search} placeholder="group name or member" onChange={(e) => setSearch(e.target.value)} />
        </div>
        <p className="table-count" role="status">
          Showing {shown.length} of {plural(groups.length, 'group')}
        </p>
      </div>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Groups read from the directory, nested groups flattened</caption>
          <thead>
            <tr>
              <SortHeader label="Group" column="name" sort={sort} onSort={setSort} />
              <SortHeader label="Members" column="members" sort={sort} onSort={setSort} />
              <th scope="col">Who (nested groups flattened)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((g) => (
              <tr key={g.externalId}>
                <td>{g.name}</td>
                <td className="number">{g.members.length}</td>
                <td className="members">{g.members.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
