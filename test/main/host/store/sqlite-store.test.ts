import { afterAll } from 'vitest';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import { describeRoomStoreContract } from './store-contract';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-store');
afterAll(() => dirs.removeAll());

describeRoomStoreContract('SQLite store', (roomName) => openSqliteStore(dirs.make(), roomName));
