import { openTestStore } from '../helpers/service.js';
import { storeContract } from './contract.js';

storeContract('SQLite (temp file)', () => openTestStore(false));
