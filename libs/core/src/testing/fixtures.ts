/**
 * Directory shapes from reference-connector.md §12, as snapshots (our own names where the spec gives
 * none). For core tests; the LDIF versions for slapd live in test-support.
 */
import type { DirectorySnapshot, DirectoryUser } from '../model/directory.js';
import { group, snapshot, user } from './builders.js';

const BASE = 'dc=bitwarden,dc=com';

function person(cn: string, uid: string, ou: string): DirectoryUser {
  const dn = `cn=${cn},ou=${ou},${BASE}`;
  return user({ externalId: dn, referenceId: dn, email: `${uid}@example.bitwarden.com`, displayName: cn, uid: uid.toLowerCase() });
}

/** §12.1 Directory A: 20 users in 10 OUs, 5 groups (Blue 3, Red 2, Cleaners 0, DevOps 3, Security 2), no nesting. */
export function directoryA(): DirectorySnapshot {
  const users = [
    person('Roland Dyke', 'DykeR', 'Human Resources'),
    person('Charin Goulfine', 'GoulfinC', 'Human Resources'),
    person('Angelle Guarino', 'GuarinoA', 'Human Resources'),
    person('Painterson Miki', 'MikiP', 'Product Development'),
    person('Virgina Pichocki', 'PichockV', 'Product Development'),
    person('Steffen Carsten', 'CarstenS', 'Product Development'),
    person('Gwen Kardomateas', 'KardomaG', 'Product Development'),
    person('Tester One', 'OneT', 'Product Testing'),
    person('Tester Two', 'TwoT', 'Product Testing'),
    person('Tester Three', 'ThreeT', 'Product Testing'),
    person('Shiela Harada', 'HaradaS', 'Peons'),
    person('Jose De Los', 'DeLosJ', 'Peons'),
    person('Peon Three', 'ThreeP', 'Peons'),
    person('Admin One', 'OneA', 'Administrative'),
    person('Admin Two', 'TwoA', 'Administrative'),
    person('Admin Three', 'ThreeA', 'Administrative'),
    person('Angus Merizzi', 'MerizziA', 'Management'),
    person('Grissel Currer', 'CurrerG', 'Management'),
    person('Micaela Doud', 'DoudM', 'Janitorial'),
    person('Loella Mak', 'MakL', 'Payroll'),
  ];
  const id = (cn: string): string => users.find((u) => u.displayName === cn)!.externalId;
  const posix = (cn: string, members: string[], ou?: string) => {
    const dn = ou === undefined ? `cn=${cn},${BASE}` : `cn=${cn},ou=${ou},${BASE}`;
    return group({ name: cn, externalId: dn, referenceId: dn, users: members.map(id) });
  };
  return snapshot({
    users,
    groups: [
      posix('Blue Team', ['Loella Mak', 'Painterson Miki', 'Roland Dyke']),
      posix('Red Team', ['Shiela Harada', 'Micaela Doud']),
      posix('Cleaners', [], 'Janitorial'),
      posix('DevOps Team', ['Painterson Miki', 'Virgina Pichocki', 'Steffen Carsten']),
      posix('Security Team', ['Angus Merizzi', 'Grissel Currer']),
    ],
  });
}

/** §12.2 Directory B: 8 users, 10 groups with forward references and the Engineering→DevOps→Platform cycle. */
export function directoryB(): DirectorySnapshot {
  const names = ['Roland', 'Teirtza', 'Alice', 'Bob', 'Carol', 'David', 'Eva', 'Frank'];
  const users = names.map((name) => user({ name }));
  const g = (name: string, members: string[], children: string[]) => group({ name, users: members, children });
  return snapshot({
    users,
    groups: [
      g('Platform', ['Bob'], ['Engineering']),
      g('DevOps', ['Alice'], ['Platform']),
      g('QA', ['Carol', 'David'], []),
      g('Engineering', [], ['DevOps', 'QA']),
      g('Marketing', ['Eva', 'Frank'], []),
      g('HR', ['Roland', 'Teirtza'], []),
      g('AllStaff', [], ['Engineering', 'Marketing', 'HR']),
      g('Contractors', ['David'], ['DevOps']),
      g('TestNestA', ['Roland'], ['TestNestB']),
      g('TestNestB', ['Teirtza'], ['TestNestA']),
    ],
  });
}
