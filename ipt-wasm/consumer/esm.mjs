// The installed package from an ES module in Node.
import * as api from 'ipt-engine';
import { checks } from './page/checks.js';

await api.ready;
console.log(checks(api));
